package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

/**
 * One running platform for every test class that only uses the API (not its lifecycle): started
 * on first use, stopped and its databases dropped when the test JVM exits.
 */
final class SharedPlatform {

    private static LocalPlatform platform;
    private static Map<String, String> printed;

    private SharedPlatform() {
    }

    static synchronized LocalPlatform get() throws Exception {
        if (platform == null) {
            LocalPlatform p = new LocalPlatform();
            LocalPlatform.Result up = p.run("up");
            assertEquals(0, up.exit(), up.output());
            printed = up.variables();
            platform = p;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    p.run("down");
                    p.dropDatabases();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }));
        }
        return platform;
    }

    /** CHASER_API_URL, CHASER_API_KEY, CHASER_ADMIN_EMAIL, CHASER_ADMIN_PASSWORD as up printed them. */
    static synchronized Map<String, String> credentials() throws Exception {
        get();
        return printed;
    }
}
