package sh.chaser.testhost;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs these host tools: when one is missing, every test of the class fails with one
 * line naming the tools and the apt-get command that installs them, instead of a stack trace from
 * the first process that cannot start. A subclass's tools add to its superclasses', and an annotation
 * annotated with it (a set of tools under one name) adds its tools to the class it is on.
 */
@Target({ ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(HostRequirements.class)
public @interface NeedsTools {

    String[] value();
}
