package sh.chaser.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.host.Files2;
import sh.chaser.agent.host.ProcessTable;
import sh.chaser.agent.host.SandboxPaths;
import sh.chaser.agent.persistence.SandboxJournal;
import sh.chaser.agent.runtime.namespace.Cgroups;
import sh.chaser.agent.runtime.namespace.SandboxNetwork;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.agent.support.TestAgentCalls;
import sh.chaser.proto.vmagent.v1.CreateDiskRequest;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.SnapshotRef;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.proto.vmagent.v1.VmState;

/**
 * The packaged agent as a real process, killed with SIGKILL and started again: it adopts the
 * sandboxes that survived, reports the one that died while it was away, finishes a boot a crash
 * interrupted, and releases host resources nothing owns.
 */
@SandboxHost
class AgentRestartIT {

    private static final String HOST = "agent-restart-it";
    private static final Path DATA = Path.of("target/agent-restart-it").toAbsolutePath();
    private static final Path CLAIMS = Path.of("/run/chaser/net");
    private Process agent;
    private int port;

    @AfterEach
    void stop() throws Exception {
        if (agent != null && agent.isAlive()) {
            agent.destroy(); // SIGTERM: the agent is configured to destroy its sandboxes on shutdown
            agent.waitFor(30, TimeUnit.SECONDS);
            // the data directory's nosuid bind, made by the agent the test killed, goes with the last one
            org.assertj.core.api.Assertions.assertThat(sh.chaser.agent.host.MountTable.find(DATA.toRealPath()))
                    .as("a mount left at " + DATA).isEmpty();
        }
    }

    @Test
    void aKilledAgentAdoptsWhatRunsAndCleansWhatWasHalfMade() throws Exception {
        port = freePort();
        start();
        String survivor;
        String dies;
        Vm survivorBefore;
        try (var client = new AgentClient(port)) {
            survivor = AgentClient.newSessionId();
            dies = AgentClient.newSessionId();
            survivorBefore = client.boot(survivor);
            client.boot(dies);
        }
        long survivorPid = journaled(survivor).handle().pid();
        long survivorTicks = journaled(survivor).handle().startTicks();
        long diesPid = journaled(dies).handle().pid();

        agent.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
        assertThat(ProcessHandle.of(survivorPid)).as("sandboxes outlive their agent").isPresent();
        ProcessTable.kill(diesPid); // dies while nobody watches
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ProcessTable.startTicks(diesPid) < 0);

        // what a crash in the middle of a boot leaves: a record still booting, its network and cgroup made
        String halfMade = AgentClient.newSessionId();
        var network = new SandboxNetwork(CLAIMS, "10.213.0.0/16");
        int halfSlot = network.claim(HOST, halfMade);
        network.setUp(halfSlot);
        var cgroups = Cgroups.detect(Path.of("/sys/fs/cgroup")).orElseThrow();
        cgroups.create("chaser/" + HOST + "/" + halfMade, new Limits(1, 64L << 20, 64));
        new SandboxJournal(new SandboxPaths(DATA)).save(SandboxRecord.requested(
                new SandboxSpec(halfMade, "sandbox", "base", "", new Limits(0, 0, 0), Map.of()), "namespace")
                .withHandle(SandboxRecord.RuntimeHandle.NONE.with("net_slot", Integer.toString(halfSlot))));
        // what a crash between Destroy's answer and the release leaves: a record that says destroyed, its cgroup
        String released = AgentClient.newSessionId();
        cgroups.create("chaser/" + HOST + "/" + released, new Limits(1, 64L << 20, 64));
        new SandboxJournal(new SandboxPaths(DATA)).save(SandboxRecord.requested(
                new SandboxSpec(released, "sandbox", "base", "", new Limits(0, 0, 0), Map.of()), "namespace")
                .destroying());
        // and what no record owns at all
        String orphan = AgentClient.newSessionId();
        int orphanSlot = network.claim(HOST, orphan);
        network.setUp(orphanSlot);
        cgroups.create("chaser/" + HOST + "/" + orphan, new Limits(1, 64L << 20, 64));

        start();
        try (var client = new AgentClient(port)) {
            Vm adopted = client.get(survivor);
            assertThat(adopted.getState()).isEqualTo(VmState.VM_STATE_RUNNING);
            assertThat(adopted.getStartedAt()).as("adopted, not booted again").isEqualTo(survivorBefore.getStartedAt());
            assertThat(journaled(survivor).handle().pid()).isEqualTo(survivorPid);

            Vm dead = client.get(dies);
            assertThat(dead.getState()).isEqualTo(VmState.VM_STATE_STOPPED);
            assertThat(dead.getExitReason()).isEqualTo("vm_exited");

            Vm finished = client.get(halfMade);
            assertThat(finished.getState()).as("the interrupted boot converged").isEqualTo(VmState.VM_STATE_RUNNING);
            assertThat(client.list()).extracting(Vm::getSessionId).containsExactlyInAnyOrder(survivor, dies, halfMade);

            assertThat(Path.of("/sys/fs/cgroup/pids/chaser", HOST, orphan)).doesNotExist();
            assertThat(SandboxNetwork.netnsPath(orphanSlot)).doesNotExist();
            assertThat(CLAIMS.resolve(Integer.toString(orphanSlot))).doesNotExist();

            for (String id : new String[]{ survivor, dies, halfMade }) {
                assertThat(client.destroy(id)).isTrue();
            }
            assertThat(ProcessTable.alive(survivorPid, survivorTicks)).as("destroyed sandbox's init").isFalse();
            // released after Destroy answered; the destroyed record of before the crash by the reconcile loop
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(cgroups.children("chaser/" + HOST)).isEmpty());
            assertThat(new SandboxJournal(new SandboxPaths(DATA)).loadAll())
                    .noneMatch(r -> r.sessionId().equals(released));
        }
    }

    @Test
    void aRestoreOrSnapshotKilledHalfwayLeavesTheOldOrTheNewStateNeverAMix() throws Exception {
        port = freePort();
        start();
        String disk = "crash-" + AgentClient.newSessionId().substring(0, 8);
        Path root = DATA.resolve("disk-store/disks").resolve(disk);
        try (var client = new AgentClient(port)) {
            var disks = DisksGrpc.newBlockingStub(client.channel()).withDeadlineAfter(120, TimeUnit.SECONDS);
            disks.createDisk(CreateDiskRequest.newBuilder().setDiskId(disk).build());
            write(root, "old", 20_000);
            disks.createSnapshot(SnapshotRef.newBuilder().setDiskId(disk).setName("before").build());
            Files2.deleteRecursively(root.resolve("files"));
            write(root, "new", 20_000);
            // the restore copies 20,000 files beside the disk; the agent dies while it does
            var restore = DisksGrpc.newFutureStub(client.channel()).restoreSnapshot(
                    SnapshotRef.newBuilder().setDiskId(disk).setName("before").build());
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Files.isDirectory(root.resolveSibling("." + disk + ".new")));
            agent.destroyForcibly().waitFor();
            org.assertj.core.api.Assertions.assertThatThrownBy(restore::get).as("the restore died with the agent")
                    .isInstanceOf(java.util.concurrent.ExecutionException.class);
        }
        start();
        try (var client = new AgentClient(port)) {
            var disks = DisksGrpc.newBlockingStub(client.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
            assertThat(root.resolveSibling("." + disk + ".new")).doesNotExist();
            var contents = new java.util.HashSet<String>();
            try (var files = Files.list(root.resolve("files"))) {
                for (Path file : files.toList()) {
                    contents.add(Files.readString(file));
                }
            }
            assertThat(contents).as("every file from one state").hasSize(1).containsAnyOf("old", "new");
            try (var files = Files.list(root.resolve("files"))) {
                assertThat(files.count()).isEqualTo(20_000);
            }

            // the same for a snapshot: killed while it copies, it is not there afterwards, not half there
            var snapshot = DisksGrpc.newFutureStub(client.channel()).createSnapshot(
                    SnapshotRef.newBuilder().setDiskId(disk).setName("mid").build());
            Path staging = DATA.resolve("disk-store/snapshots").resolve(disk).resolve(".mid.new");
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Files.isDirectory(staging));
            agent.destroyForcibly().waitFor();
            org.assertj.core.api.Assertions.assertThatThrownBy(snapshot::get)
                    .isInstanceOf(java.util.concurrent.ExecutionException.class);
        }
        start();
        try (var client = new AgentClient(port)) {
            var disks = DisksGrpc.newBlockingStub(client.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
            assertThat(disks.listSnapshots(DiskRef.newBuilder().setDiskId(disk).build()).getSnapshotsList())
                    .extracting(sh.chaser.proto.vmagent.v1.Snapshot::getName).containsExactly("before");
            assertThat(DATA.resolve("disk-store/snapshots").resolve(disk).resolve(".mid.new")).doesNotExist();
            disks.deleteDisk(DiskRef.newBuilder().setDiskId(disk).build());
        }
    }

    private static void write(Path disk, String content, int count) throws IOException {
        Path dir = Files.createDirectories(disk.resolve("files"));
        for (int i = 0; i < count; i++) {
            Files.writeString(dir.resolve("f" + i), content);
        }
    }

    private SandboxRecord journaled(String id) {
        return new SandboxJournal(new SandboxPaths(DATA)).loadAll().stream()
                .filter(r -> r.sessionId().equals(id)).findFirst().orElseThrow();
    }

    private void start() throws IOException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged agent (mvn verify packages it before this test)").exists();
        Path log = Path.of("target/agent-restart-it.log");
        var builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(Map.of("CHASER_HTTP_PORT", Integer.toString(port), "CHASER_HOST_ID", HOST,
                "CHASER_AGENT_DATA_DIR", DATA.toString(), "CHASER_SESSION_SERVICE_PORT", "1",
                "CHASER_AGENT_RUNTIME", "namespace", "CHASER_AGENT_STOP_SANDBOXES_ON_SHUTDOWN", "true",
                "CHASER_AGENT_DISKS_MODE", "copy", "CHASER_AGENT_CALLS_SECRET_FILE", TestAgentCalls.secretFile()));
        agent = builder.start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(agent.isAlive()).as("agent process (see " + log + ")").isTrue();
            try (var client = new AgentClient(port)) {
                client.list();
                return true;
            } catch (io.grpc.StatusRuntimeException notYet) {
                return false;
            }
        });
        // positive control for the check in stop(): while the agent runs, its data directory is a nosuid,nodev mount
        assertThat(sh.chaser.agent.host.MountTable.find(DATA.toRealPath())).get()
                .matches(m -> m.has("nosuid") && m.has("nodev"));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
