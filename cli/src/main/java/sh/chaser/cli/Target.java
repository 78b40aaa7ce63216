package sh.chaser.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which sandbox: a running session, a workspace's, or a fresh ephemeral one (options shared by commands). */
final class Target {

    @Option(names = { "-s", "--session" }, description = "a running session's id")
    String session;
    @Option(names = { "-w",
            "--workspace" }, description = "a sandbox workspace (name or id): its session, booted if needed")
    String workspace;
    @Option(names = "--ephemeral", description = "a fresh disposable sandbox")
    boolean ephemeral;
    @Option(names = "--image", description = "the image of an ephemeral sandbox")
    String image;

    /** The body of a sandbox session create for this target (without a session id). */
    Map<String, Object> createBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_type", "sandbox");
        if (workspace != null) {
            body.put("workspace", workspace);
        } else {
            body.put("ephemeral", true);
            if (image != null) {
                body.put("image", image);
            }
        }
        if (workspace != null && (ephemeral || image != null)) {
            throw new ApiError("invalid_request", "--workspace takes neither --ephemeral nor --image");
        }
        return body;
    }
}
