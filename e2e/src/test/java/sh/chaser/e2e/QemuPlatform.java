package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

/**
 * One platform whose sessions are microVMs ({@code ./chaser up --runtime qemu}, TCG here; namespace
 * sandboxes for a session that names them) for every class that needs one: started on first use,
 * stopped with the shared platform once every test has run ({@link PlatformsStopped}). One start
 * instead of one per class: a start and a stop of it cost a minute or more of CI under TCG.
 */
final class QemuPlatform {

    private static LocalPlatform platform;
    private static Map<String, String> printed;

    private QemuPlatform() {}

    static synchronized LocalPlatform get() throws Exception {
        if (platform == null) {
            LocalPlatform p = new LocalPlatform();
            p.env.put("CHASER_AGENT_ALSO_OFFER", "namespace");
            LocalPlatform.Result up = p.run("up", "--runtime", "qemu");
            assertEquals(0, up.exit(), up.output());
            assertTrue(up.output().contains("Sessions run as microVMs (QEMU"),
                    "up says what sessions are:\n" + up.output());
            printed = up.variables();
            platform = p;
        }
        return platform;
    }

    /** CHASER_API_URL, CHASER_API_KEY, CHASER_ADMIN_EMAIL, CHASER_ADMIN_PASSWORD as up printed them. */
    static synchronized Map<String, String> credentials() throws Exception {
        get();
        return printed;
    }

    /** Stops it and drops its databases, when it was started. */
    static synchronized void stop() throws Exception {
        if (platform != null) {
            LocalPlatform p = platform;
            platform = null;
            p.remove();
        }
    }
}
