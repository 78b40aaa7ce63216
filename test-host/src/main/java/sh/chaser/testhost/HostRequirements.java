package sh.chaser.testhost;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Checks {@link NeedsRoot} and {@link NeedsTools} before a class's tests (and its application) start. */
public final class HostRequirements implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> test = context.getRequiredTestClass();
        List<String> problems = new ArrayList<>();
        AnnotationSupport.findAnnotation(test, NeedsRoot.class).ifPresent(root -> {
            if (!isRoot()) {
                problems.add("needs root (" + root.value() + "): run the tests as root (./chaser test), or leave the"
                        + " root-only tests out with ./chaser test --no-root");
            }
        });
        var tools = new LinkedHashSet<String>();
        for (Class<?> type = test; type != null; type = type.getSuperclass()) {
            for (Annotation annotation : type.getDeclaredAnnotations()) {
                NeedsTools needs = annotation instanceof NeedsTools direct
                        ? direct
                        : annotation.annotationType().getAnnotation(NeedsTools.class);
                if (needs != null) {
                    tools.addAll(List.of(needs.value()));
                }
            }
        }
        List<String> missing = HostTools.missing(List.copyOf(tools));
        if (!missing.isEmpty()) {
            problems.add(missingLine(missing));
        }
        if (!problems.isEmpty()) {
            throw new MissingOnHost(test.getSimpleName() + " " + String.join("; ", problems));
        }
    }

    static String missingLine(List<String> missing) {
        var packages = new LinkedHashSet<String>();
        missing.forEach(tool -> packages.add(HostTools.debianPackage(tool)));
        return "needs " + String.join(", ", missing) + " on PATH: apt-get install " + String.join(" ", packages)
                + " (./chaser test installs what the tests need)";
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
