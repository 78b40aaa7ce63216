package sh.chaser.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherFactory;

class RootTestsLeftOutTest {

    @NeedsRoot("fixture")
    static class RootOnly {

        @Test
        void one() {}

        @Test
        void two() {}
    }

    static class Unprivileged {

        @Test
        void one() {}
    }

    private String given;

    /** ./chaser test --no-root runs this very test with the property set: each test starts without it. */
    @BeforeEach
    void clear() throws Exception {
        given = System.clearProperty(RootTestsLeftOut.PROPERTY);
        Files.deleteIfExists(Path.of(RootTestsLeftOut.LIST));
    }

    @AfterEach
    void restore() throws Exception {
        Files.deleteIfExists(Path.of(RootTestsLeftOut.LIST));
        if (given == null) {
            System.clearProperty(RootTestsLeftOut.PROPERTY);
        } else {
            System.setProperty(RootTestsLeftOut.PROPERTY, given);
        }
    }

    /** Discovery as Surefire runs it: the Launcher with the filters the ServiceLoader registers. */
    private static List<String> discovered() {
        TestPlan plan = LauncherFactory.create().discover(request()
                .selectors(selectClass(RootOnly.class), selectClass(Unprivileged.class)).build());
        return plan.getRoots().stream().flatMap(root -> plan.getDescendants(root).stream())
                .filter(TestIdentifier::isTest).map(TestIdentifier::getDisplayName).sorted().toList();
    }

    @Test
    void byDefaultRootTestsAreDiscoveredLikeAnyOther() {
        assertEquals(List.of("one()", "one()", "two()"), discovered());
        assertFalse(Files.exists(Path.of(RootTestsLeftOut.LIST)));
    }

    @Test
    void onRequestRootTestsAreLeftOutAndListed() throws Exception {
        System.setProperty(RootTestsLeftOut.PROPERTY, "leave-out");
        assertEquals(List.of("one()"), discovered());
        List<String> listed = Files.readAllLines(Path.of(RootTestsLeftOut.LIST));
        assertEquals(2, listed.size());
        assertTrue(listed.stream().allMatch(id -> id.contains("RootOnly")), listed::toString);
    }
}
