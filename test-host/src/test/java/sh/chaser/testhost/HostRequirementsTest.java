package sh.chaser.testhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class HostRequirementsTest {

    @NeedsTools({ "sh", "no-such-tool-for-chaser" })
    static class MissingTool {

        @Test
        void runs() {}
    }

    @NeedsTools("sh")
    static class PresentTool {

        @Test
        void runs() {}
    }

    @NeedsTools("docker-registry-for-chaser")
    static class MoreTools extends PresentTool {}

    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @NeedsTools("composed-tool-for-chaser")
    @interface ComposedTools {
    }

    @ComposedTools
    @NeedsTools("sh")
    static class Composed {

        @Test
        void runs() {}
    }

    @NeedsRoot("namespaces")
    static class RootOnly {

        @Test
        void runs() {}
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
    }

    @Test
    void aMissingToolFailsEveryTestWithOneLineNamingThePackage() {
        Events events = run(MissingTool.class);
        events.assertStatistics(stats -> stats.started(0).failed(0));
        Throwable failure = EngineTestKit.engine("junit-jupiter").selectors(selectClass(MissingTool.class)).execute()
                .containerEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
        assertInstanceOf(MissingOnHost.class, failure);
        assertEquals("MissingTool needs no-such-tool-for-chaser on PATH: apt-get install no-such-tool-for-chaser"
                + " (./chaser test installs what the tests need)", failure.getMessage());
        assertEquals(0, failure.getStackTrace().length);
        assertEquals(1, failure.getMessage().lines().count());
    }

    @Test
    void toolsThatArePresentLetTheTestsRun() {
        run(PresentTool.class).assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void aSubclassNeedsItsOwnToolsAndItsSuperclasses() {
        run(MoreTools.class).assertStatistics(stats -> stats.started(0));
    }

    @Test
    void anAnnotationCarryingToolsAddsThemToTheClassItIsOn() {
        run(Composed.class).assertStatistics(stats -> stats.started(0));
    }

    @Test
    void theTableNamesTheDebianPackageOfATool() {
        assertEquals("docker-registry", HostTools.debianPackage("docker-registry"));
        assertEquals("tini", HostTools.debianPackage("tini-static"));
        assertEquals("btrfs-progs", HostTools.debianPackage("mkfs.btrfs"));
    }

    @Test
    void aRootTestRunsAsRootAndFailsWithOneLineOtherwise() throws Exception {
        boolean root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        Events events = run(RootOnly.class);
        if (root) {
            events.assertStatistics(stats -> stats.started(1).succeeded(1));
        } else {
            events.assertStatistics(stats -> stats.started(0));
        }
        assertEquals(root, HostRequirements.isRoot());
    }
}
