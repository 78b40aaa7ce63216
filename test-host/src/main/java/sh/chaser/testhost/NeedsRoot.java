package sh.chaser.testhost;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that needs root (namespaces, cgroups, loop devices, iptables): tagged {@value #TAG}, so
 * {@code ./chaser test --no-root} leaves it out and counts it; run without root otherwise, it fails
 * with one line saying so. On a {@code @QuarkusTest} put it after {@code @QuarkusTest}: the check then runs once
 * Quarkus has started the application (which starts without root), and Quarkus's own after-all finds
 * the state its before-all left.
 */
@Target({ ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Tag(NeedsRoot.TAG)
@ExtendWith(HostRequirements.class)
public @interface NeedsRoot {

    String TAG = "root";

    /** Why, in a few words, for the failure line. */
    String value();
}
