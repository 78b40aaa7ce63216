package sh.chaser.cli;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chaser teleport}: a local folder into a sandbox, as a gzipped tar (the local {@code tar}) sent
 * in parts under the upload limit and unpacked there, with progress.
 */
@Command(name = "teleport", mixinStandardHelpOptions = true, description = "Copy a local folder into a sandbox session (tar, upload, untar).%n"
        + "  chaser teleport <session> ./my-app          (into my-app/ of the workspace)%n"
        + "  chaser teleport <session> ./my-app src/app")
final class TeleportCommand implements Callable<Integer> {

    static final long PART = 15L * 1024 * 1024;

    @ParentCommand
    Chaser chaser;
    @Parameters(index = "0", paramLabel = "SESSION")
    String session;
    @Parameters(index = "1", paramLabel = "LOCAL_FOLDER")
    Path folder;
    @Parameters(index = "2", arity = "0..1", paramLabel = "REMOTE_FOLDER", description = "default: the folder's name")
    String remote;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(folder)) {
            throw new ApiError("invalid_request", folder + " is not a folder");
        }
        String target = remote == null ? folder.toAbsolutePath().normalize().getFileName().toString() : remote;
        Path archive = Files.createTempFile("chaser-teleport-", ".tgz");
        try {
            Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", folder.toString(), ".")
                    .redirectErrorStream(true).start();
            String complaint = new String(tar.getInputStream().readAllBytes());
            if (tar.waitFor() != 0) {
                throw new ApiError("invalid_request", "tar could not pack " + folder + ": " + complaint.strip());
            }
            Api api = chaser.api();
            long size = Files.size(archive);
            Progress progress = new Progress("teleport " + folder.getFileName(), size,
                    Progress.onTerminal(chaser.json));
            String stem = ".chaser-teleport-" + UUID.randomUUID();
            List<String> parts = new ArrayList<>();
            try (InputStream in = progress.counting(Files.newInputStream(archive))) {
                for (long sent = 0; sent < size || parts.isEmpty(); sent += PART) {
                    byte[] chunk = in.readNBytes((int) Math.min(PART, size - sent));
                    String part = stem + "." + parts.size();
                    api.stream(api.request("/v1/sessions/" + Api.q(session) + "/upload?path=" + Api.q(part))
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)).build()).body().close();
                    parts.add(part);
                }
            }
            progress.finish();
            String quoted = "'" + target.replace("'", "'\\''") + "'";
            String unpack = "mkdir -p " + quoted + " && cat " + String.join(" ", parts) + " | tar -xzf - -C " + quoted
                    + "; code=$?; rm -f " + String.join(" ", parts) + "; exit $code";
            var result = api.json("POST", "/v1/sessions/" + Api.q(session) + "/exec", Map.of("command", unpack));
            if (result.path("exit_code").asInt(1) != 0) {
                throw new ApiError("teleport_failed", "unpacking failed: " + result.path("output").asText().strip());
            }
            System.out.println("teleported " + folder + " to " + target + " (" + size + " bytes packed, "
                    + parts.size() + " part" + (parts.size() == 1 ? "" : "s") + ")");
            return 0;
        } finally {
            Files.deleteIfExists(archive);
        }
    }
}
