package sh.chaser.session.domain;

import java.util.Map;
import sh.chaser.contracts.EnvRules;

/**
 * The create rules of the seeds and API.md section 3, checked before anything is recorded. Each
 * refusal names the field at fault.
 */
public final class CreateRules {

    /** The isolation drivers a vm-agent may offer (API.md, SessionInfo.runtime). */
    public static final java.util.Set<String> RUNTIMES = sh.chaser.contracts.Runtimes.NAMES;

    /**
     * A request that passed the rules: exactly one of {@code workspace} and {@code ephemeral};
     * {@code runtime} null when the caller left the choice to the installation.
     */
    public record Checked(String sessionType, boolean ephemeral, String workspace, String image,
            Map<String, String> env,
            String runtime) {}

    private CreateRules() {}

    public static Checked check(String sessionType, String workspace, Boolean ephemeral, String image,
            Map<String, String> env) {
        return check(sessionType, workspace, ephemeral, image, env, null);
    }

    public static Checked check(String sessionType, String workspace, Boolean ephemeral, String image,
            Map<String, String> env, String runtime) {
        if (runtime != null && !RUNTIMES.contains(runtime)) {
            throw invalid("runtime must be namespace, qemu or firecracker", "runtime");
        }
        if (sessionType == null || !(sessionType.equals("sandbox") || sessionType.equals("browser"))) {
            throw invalid("session_type must be \"sandbox\" or \"browser\"", "session_type");
        }
        boolean isEphemeral = Boolean.TRUE.equals(ephemeral);
        String selector = workspace == null || workspace.isBlank() ? null : workspace.trim();
        if (isEphemeral && selector != null) {
            throw invalid("an ephemeral session takes no workspace", "workspace");
        }
        if (!isEphemeral && selector == null) {
            throw invalid("a workspace selector is required unless ephemeral is true", "workspace");
        }
        if (image != null) {
            if (sessionType.equals("browser")) {
                throw invalid("browser sessions take no image", "image");
            }
            if (!isEphemeral) {
                throw invalid("a persistent sandbox takes its image from its workspace; image is only for ephemeral"
                        + " sessions", "image");
            }
            if (image.isBlank() || image.length() > 512) {
                throw invalid("image must be an image reference of at most 512 characters", "image");
            }
        }
        return new Checked(sessionType, isEphemeral, selector, image, env(env), runtime);
    }

    /** Environment variables for a session or a command: at most 64, names {@link EnvRules} allows,
            values up to 32 KiB. */
    public static Map<String, String> env(Map<String, String> env) {
        sh.chaser.contracts.ExecRules.env(env).ifPresent(r -> {
            throw invalid(r.message(), r.field());
        });
        return env == null ? Map.of() : env;
    }

    private static RuntimeException invalid(String message, String field) {
        return ErrorCode.INVALID_REQUEST.exception(message, field);
    }
}
