package sh.chaser.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Stops the platforms test classes share once every test has run, still inside the test run (a
 * JVM shutdown hook got 30 seconds before Surefire killed it, in the middle of a stop). Registered
 * for every class by the service file and junit-platform.properties' autodetection.
 */
public final class PlatformsStopped implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(PlatformsStopped.class,
                k -> (ExtensionContext.Store.CloseableResource) PlatformsStopped::stopAll);
    }

    private static void stopAll() throws Exception {
        try {
            QemuPlatform.stop();
        } finally {
            SharedPlatform.stop();
        }
    }
}
