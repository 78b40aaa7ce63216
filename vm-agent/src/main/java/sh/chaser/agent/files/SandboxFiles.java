package sh.chaser.agent.files;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.guest.GuestClient;
import sh.chaser.agent.guest.GuestErrors;

/**
 * Reads and writes files inside a sandbox through its guest agent, which resolves the path inside
 * the sandbox as the platform documents (docs/api.md: no {@code ..}, no absolute link, nothing
 * under /proc, /sys or /dev, only regular files) and moves the bytes as the sandbox's user.
 */
@ApplicationScoped
public class SandboxFiles {

    public static final long MAX_BYTES = 16L * 1024 * 1024;

    @Inject
    Sandboxes sandboxes;

    /** Writes {@code source} (a file on the host) to {@code path} in the sandbox; the path written, links resolved. */
    public String write(String sessionId, String path, Path source) {
        GuestClient guest = guestFor(sessionId, path);
        return GuestErrors.call(() -> guest.put(path, source)).getString("path");
    }

    /** The guest agent of the running sandbox {@code sessionId}, to write {@code path} there. */
    public GuestClient guest(String sessionId, String path) {
        return guestFor(sessionId, path);
    }

    private GuestClient guestFor(String sessionId, String path) {
        if (path == null || path.isBlank()) {
            throw AgentError.INVALID_REQUEST.exception("path is required");
        }
        return sandboxes.guest(sessionId);
    }
}
