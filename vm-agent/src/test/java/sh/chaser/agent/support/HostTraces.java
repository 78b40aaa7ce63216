package sh.chaser.agent.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.host.ProcessTable;

/** What a running sandbox holds on the host: its init, cgroups, network namespace, veth and claim. */
public record HostTraces(String sessionId, long pid, long startTicks, int slot) {

    public static HostTraces of(Sandboxes sandboxes, String sessionId) {
        var handle = sandboxes.get(sessionId).orElseThrow().handle();
        return new HostTraces(sessionId, handle.pid(), handle.startTicks(),
                Integer.parseInt(handle.resource("net_slot")));
    }

    private Path[] paths() {
        String group = "chaser/" + AgentTestProfile.HOST_ID + "/" + sessionId;
        return new Path[]{
                Path.of("/sys/fs/cgroup/memory", group), Path.of("/sys/fs/cgroup/pids", group),
                Path.of("/sys/fs/cgroup/cpu", group), Path.of("/run/netns/chaser-" + slot),
                Path.of("/sys/class/net/chv" + slot), Path.of("/run/chaser/net/" + slot),
                Path.of("target/agent-test-data/sandboxes", sessionId) };
    }

    public void assertPresent() {
        assertThat(ProcessTable.alive(pid, startTicks)).as("init process").isTrue();
        for (Path path : paths()) {
            assertThat(path).exists();
        }
    }

    /** Every trace gone within 20 s: Destroy stops the processes, the rest is released after it answers. */
    public void awaitGone() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(this::assertGone);
    }

    /** The init process stopped: what Destroy waits for before it answers. */
    public void assertStopped() {
        assertThat(ProcessTable.alive(pid, startTicks)).as("init process").isFalse();
    }

    public void assertGone() {
        assertThat(ProcessTable.alive(pid, startTicks)).as("init process").isFalse();
        for (Path path : paths()) {
            if (path.toString().contains("sandboxes") && Files.exists(path.resolve("sandbox.json"))) {
                continue; // a stopped sandbox keeps its record until Destroy
            }
            assertThat(path).doesNotExist();
        }
    }
}
