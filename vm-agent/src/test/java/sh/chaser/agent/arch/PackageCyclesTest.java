package sh.chaser.agent.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The vm-agent's packages form no cycle: each depends only on packages below it. */
class PackageCyclesTest {

    @Test
    void noPackageCycles() {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("sh.chaser.agent");
        slices().matching("sh.chaser.agent.(*)..").should().beFreeOfCycles().check(classes);
    }
}
