package sh.chaser.testhost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * With {@code -Dchaser.root-tests=leave-out} (what {@code ./chaser test --no-root} passes), leaves out
 * every test tagged {@value NeedsRoot#TAG} and writes its id to {@value #LIST} in the module, so the
 * run can say how many were left out. Without the property it leaves everything in. Registered with
 * the ServiceLoader, so it applies wherever this jar is on a test class path.
 */
public final class RootTestsLeftOut implements PostDiscoveryFilter {

    public static final String PROPERTY = "chaser.root-tests";
    public static final String LIST = "target/root-tests-left-out.txt";
    private static final TestTag ROOT = TestTag.create(NeedsRoot.TAG);

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        if (!"leave-out".equals(System.getProperty(PROPERTY)) || !descriptor.getTags().contains(ROOT)) {
            return FilterResult.included("not a left-out root test");
        }
        if (descriptor.getChildren().isEmpty()) {
            record(descriptor.getUniqueId().toString());
        }
        return FilterResult.excluded("needs root; left out (" + PROPERTY + "=leave-out)");
    }

    private static synchronized void record(String id) {
        try {
            Path list = Path.of(LIST);
            Files.createDirectories(list.getParent());
            Files.writeString(list, id + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
