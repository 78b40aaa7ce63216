package sh.chaser.agent.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.application.HostIdentity;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.disk.DiskStore;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.host.ProcessTable;
import sh.chaser.agent.host.SandboxPaths;
import sh.chaser.agent.image.ImageStore;
import sh.chaser.agent.runtime.firecracker.FirecrackerApi;
import sh.chaser.agent.runtime.firecracker.FirecrackerRuntime;
import sh.chaser.agent.runtime.microvm.MicroVmHost;
import sh.chaser.agent.runtime.namespace.NamespaceRuntime;
import sh.chaser.agent.support.QemuTestProfile;
import sh.chaser.agent.support.SandboxHost;

/**
 * The Firecracker runtime on the parts every microVM shares, against a stand-in firecracker
 * ({@link FirecrackerApiStub}: no KVM here) that checks every request against Firecracker's
 * published API and its ordering rules and then boots the configuration it was given under QEMU
 * ({@link QemuStandIn}). So this proves the request shapes and that they describe a VM the
 * platform's guest runs in (disk order, initrd, boot arguments, tap); it does not prove that
 * Firecracker itself boots it: nothing here has run on a KVM host with the real binary.
 */
@QuarkusTest
@TestProfile(QemuTestProfile.class)
@SandboxHost
class FirecrackerRuntimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** On the root filesystem: a jail holds /dev/kvm and an executable, so not on /run (nodev, noexec). */
    private static final Path JAILS = Path.of("/srv/chaser-test-jails");
    private static final long VM_ID_BASE = 1_999_500_000L;
    private final Path home = Path.of("target/firecracker-test").toAbsolutePath();

    @Inject
    Sandboxes sandboxes;
    @Inject
    HostIdentity identity;
    @Inject
    ImageStore images;
    @Inject
    DiskStore disks;
    @Inject
    AgentConfig agent;
    @Inject
    @org.eclipse.microprofile.health.Readiness
    sh.chaser.agent.health.DefaultImageCheck prepared;

    private AgentConfig.Firecracker config;
    private FirecrackerRuntime runtime;

    @BeforeEach
    void setUp() throws IOException {
        Awaitility.await("the default image, the microVM kernel and its root disk").atMost(Duration.ofMinutes(15))
                .pollInterval(Duration.ofSeconds(1)).until(() -> prepared.call()
                        .getStatus() == org.eclipse.microprofile.health.HealthCheckResponse.Status.UP);
        Files.createDirectories(home);
        // the jailer runs its copy of the binary: that copy serves in the jail it finds itself in
        Path binary = standIn("firecracker",
                "export FIRECRACKER_STUB_QEMU=1 FIRECRACKER_STUB_ROOT=\"$(dirname \"$0\")\"\n");
        standIn("firecracker-api-only", "");
        Path jailer = Files.copy(Path.of("src/test/resources/jailer-stand-in"), home.resolve("jailer"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jailer, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path kvm = Files.writeString(home.resolve("kvm"), ""); // a device the test can open, as /dev/kvm would be
        config = config(Optional.of(binary.toString()), Optional.of(jailer.toString()), kvm);
        NamespaceRuntime namespace = (NamespaceRuntime) sandboxes.runtime(NamespaceRuntime.NAME).orElseThrow();
        // an owner and a state directory of the test's own: the agent's sweeps leave this test's VMs alone
        MicroVmHost host = new MicroVmHost(identity.hostId() + "-fc", new SandboxPaths(home.resolve("data")),
                images, namespace.network(), namespace.cgroups(), new Limits(1, 256L << 20, 0), disks,
                new MicroVmHost.Setup(MicroVmHost.buildScript().orElseThrow(), namespace.guestBinary(),
                        images.cacheDir(),
                        agent.guest().port(), 1L << 30, VM_ID_BASE));
        runtime = new FirecrackerRuntime(host, config, images.cacheDir().resolve("guest-vm/vmlinux"));
    }

    private Path standIn(String name, String environment) throws IOException {
        Path binary = home.resolve(name);
        Files.writeString(binary, "#!/bin/sh\n" + environment + "export FIRECRACKER_API_SPEC='"
                + Path.of("src/test/resources/firecracker-api.yaml").toAbsolutePath() + "'\nexec '"
                + ProcessHandle.current().info().command().orElseThrow() + "' -Xmx32m -XX:+UseSerialGC -cp '"
                + System.getProperty("java.class.path") + "' " + FirecrackerApiStub.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        return binary;
    }

    @Test
    void chosenOnlyWithAUsableKvmDeviceABinaryAndAKernel() throws IOException {
        Path vmx = Files.writeString(home.resolve("cpuinfo-vmx"), "processor\t: 0\nflags\t\t: fpu vme vmx sse\n");
        Path pvm = Files.writeString(home.resolve("cpuinfo-pvm"),
                "processor\t: 0\nflags\t\t: fpu vme sse hypervisor\n");
        Path kernel = Files.writeString(home.resolve("vmlinux"), "kernel");
        assertThat(FirecrackerRuntime.usable(config, kernel, vmx)).isTrue();
        // a KVM device without hardware virtualization (a guest under PVM): QEMU and Firecracker abort there
        assertThat(FirecrackerRuntime.usable(config, kernel, pvm)).isFalse();
        assertThat(FirecrackerRuntime.usable(config, home.resolve("no-kernel"), vmx)).as("no kernel").isFalse();
        assertThat(
                FirecrackerRuntime.usable(config(Optional.empty(), config.jailer(), home.resolve("kvm")), kernel, vmx))
                .isFalse();
        assertThat(
                FirecrackerRuntime.usable(config(config.binary(), Optional.empty(), home.resolve("kvm")), kernel, vmx))
                .as("never without its jailer").isFalse();
        assertThat(FirecrackerRuntime.usable(
                config(config.binary(), config.jailer(), home.resolve("no-kvm-" + UUID.randomUUID())),
                kernel, vmx)).isFalse();
        assertThat(FirecrackerRuntime.kernel(config, Path.of("/cache")))
                .isEqualTo(Path.of("/cache/firecracker/vmlinux"));
    }

    @Test
    void aSessionBootsFromFirecrackersConfigurationAndIsReachedThroughItsGuestAgent() throws Exception {
        String id = UUID.randomUUID().toString();
        String workspace = UUID.randomUUID().toString();
        SandboxRecord record = booted(id, workspace);
        var handle = record.handle();
        try {
            assertThat(runtime.alive(record)).isTrue();
            List<JsonNode> requests = requests(runtime.apiSocket(id));
            assertThat(requests).extracting(r -> r.get("method").asText() + " " + r.get("path").asText())
                    .containsExactly(
                            "GET /", "PUT /machine-config", "PUT /boot-source", "PUT /drives/root",
                            "PUT /drives/workspace",
                            "PUT /drives/config", "PUT /network-interfaces/eth0", "PUT /entropy", "PUT /actions");
            JsonNode machine = find(requests, "/machine-config");
            assertThat(machine.get("vcpu_count").asInt()).isEqualTo(1);
            assertThat(machine.get("mem_size_mib").asInt()).isEqualTo(256);
            JsonNode boot = find(requests, "/boot-source");
            assertThat(boot.get("boot_args").asText()).startsWith("console=ttyS0 reboot=k panic=1 pci=off chaser.ip=")
                    .doesNotContain("token");
            // every path is the jailed firecracker's, in its root; none is the host's
            assertThat(boot.get("kernel_image_path").asText()).isEqualTo("/vmlinux");
            assertThat(boot.get("initrd_path").asText()).isEqualTo("/initramfs");
            assertThat(find(requests, "/drives/root").get("path_on_host").asText()).isEqualTo("/root.erofs");
            assertThat(find(requests, "/drives/root").get("is_read_only").asBoolean()).isTrue();
            assertThat(find(requests, "/drives/workspace").get("is_read_only").asBoolean()).isFalse();
            assertThat(find(requests, "/drives/config").get("is_read_only").asBoolean()).isTrue();
            assertThat(find(requests, "/network-interfaces/eth0").get("host_dev_name").asText()).startsWith("chv");

            var inside = runtime.guest(record)
                    .exec("id -u; grep -c chaser.ip /proc/cmdline; grep -c '^ID=debian' /etc/os-release;"
                            + " echo kept > /workspace/note.txt && cat /workspace/note.txt", "/", Map.of(),
                            Duration.ofSeconds(60));
            assertThat(new String(inside.output(), StandardCharsets.UTF_8)).isEqualTo("1000\n1\n1\nkept\n");
            jailedAsTheVmsOwnUser(record);
        } finally {
            runtime.destroy(record);
        }
        assertThat(ProcessTable.alive(handle.pid(), handle.startTicks())).as("the firecracker process").isFalse();
        Awaitility.await("the VM ends with its firecracker").atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle
                .allProcesses()
                .noneMatch(
                        p -> p.info().commandLine().orElse("").contains("chaser.hostname=sbx-" + id.substring(0, 8))));
        assertThat(runtime.jailRoot(id).getParent()).as("the jail").doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("nothing stays bound")
                .doesNotContain(JAILS.toString());
        assertThat(disks.path(workspace).resolve(".chaser-vm-disk.ext4")).as("unbinding left the workspace as it was")
                .isNotEmptyFile();
        disks.delete(workspace);
    }

    /**
     * A pause through the runtime on a guest that runs (the stand-in boots it under QEMU): the guest
     * freezes its disk, then the stand-in takes PATCH /vm Paused and PUT /snapshot/create only in
     * Firecracker's order and only with paths in the jail that the VM's own uid can write (it answers
     * 400 otherwise, which fails the pause); the pause is sealed and the firecracker process, its VM
     * and its jail are gone. What this does not prove: that Firecracker's snapshot resumes (the
     * stand-in saves no VM); resume's load request is the one {@code pauseSnapshotResumeAndLoad...} checks.
     */
    @Test
    void aPauseSnapshotsTheVmIntoItsJailAsItsOwnUidThenEndsIt() throws Exception {
        String id = UUID.randomUUID().toString();
        String workspace = UUID.randomUUID().toString();
        SandboxRecord record = booted(id, workspace);
        var handle = record.handle();
        try {
            runtime.pause(record);
            assertThat(runtime.paused(record)).as("sealed").isTrue();
            assertThat(ProcessTable.alive(handle.pid(), handle.startTicks())).as("the firecracker process").isFalse();
            Awaitility.await("the VM ends with its firecracker").atMost(Duration.ofSeconds(20))
                    .until(() -> ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
                            .contains("chaser.hostname=sbx-" + id.substring(0, 8))));
            assertThat(runtime.jailRoot(id).getParent()).as("the jail").doesNotExist();
        } finally {
            runtime.destroy(record);
        }
        assertThat(runtime.paused(record)).as("its paused state goes with it").isFalse();
        disks.delete(workspace);
    }

    /**
     * The VMM runs as the uid of the VM's slot, which owns the VM's tap and files; another VM's uid
     * (a VMM that escaped its guest) opens neither the token disk nor the workspace. The positive
     * control is the VM's own uid, which opens both.
     */
    private void jailedAsTheVmsOwnUser(SandboxRecord record) throws Exception {
        int slot = Integer.parseInt(record.handle().resource("net_slot"));
        long own = VM_ID_BASE + slot;
        long pid = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .contains("chaser.hostname=sbx-" + record.sessionId().substring(0, 8))).findFirst().orElseThrow().pid();
        assertThat(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
                .as("the VM's process runs as the slot's uid")
                .contains("Uid:\t" + own + "\t" + own + "\t" + own + "\t" + own);
        assertThat(Files.readString(Path.of("/sys/class/net/chv" + slot + "/owner")).strip())
                .isEqualTo(Long.toString(own));
        Path root = runtime.jailRoot(record.sessionId());
        assertThat(Files.getAttribute(root, "unix:uid")).as("the jailer handed its root to the uid")
                .isEqualTo((int) own);
        for (String file : List.of("config.img", "workspace.ext4")) {
            assertThat(readableAs(own, root.resolve(file))).as("%s for the VM's own uid", file).isTrue();
            assertThat(readableAs(own + 1, root.resolve(file))).as("%s for another VM's uid", file).isFalse();
        }
        assertThat(readableAs(own + 1, root.resolve("vmlinux"))).as("the shared kernel, read-only, for anyone")
                .isTrue();
    }

    private static boolean readableAs(long uid, Path file) throws Exception {
        var jail = new StandInJail(file.getParent(), uid);
        return jail.refusal("/" + file.getFileName(), false) == null;
    }

    @Test
    void pauseSnapshotResumeAndLoadFollowFirecrackersRules() throws Exception {
        String id = UUID.randomUUID().toString();
        SandboxRecord record = SandboxRecord.requested(
                new SandboxSpec(id, "sandbox", "base", "", new Limits(0, 0, 0), Map.of()),
                FirecrackerRuntime.NAME);
        Process first = stub(runtime.apiSocket(id));
        Path fresh = Path.of("/run/chaser/fc-test", "fresh-" + id.substring(0, 8) + ".sock");
        Process second = stub(fresh);
        try {
            var api = new FirecrackerApi(runtime.apiSocket(id));
            api.put("/machine-config", Map.of("vcpu_count", 1, "mem_size_mib", 128));
            api.put("/actions", Map.of("action_type", "InstanceStart"));
            Path state = home.resolve("vm.state");
            Path memory = home.resolve("vm.mem");
            assertThatThrownBy(() -> runtime.snapshot(record, state, memory)).isInstanceOf(FirecrackerApi.Fault.class)
                    .hasMessageContaining("not paused");
            runtime.pauseVcpus(record);
            runtime.snapshot(record, state, memory);
            runtime.resumeVcpus(record);
            assertThat(api.get("/").get("state").asText()).isEqualTo("Running");
            // a snapshot loads only into a firecracker process nothing has configured yet
            runtime.load(fresh, state, memory);
            assertThat(new FirecrackerApi(fresh).get("/").get("state").asText()).isEqualTo("Running");
            assertThatThrownBy(() -> runtime.load(fresh, state, memory)).isInstanceOf(FirecrackerApi.Fault.class);
            // and the stand-in refuses what Firecracker refuses
            assertThatThrownBy(() -> api.put("/machine-config", Map.of("vcpu_count", 1, "mem_size_mib", 128)))
                    .hasMessageContaining("after starting");
            assertThatThrownBy(() -> api.put("/actions", Map.of("action_type", "Reboot")))
                    .hasMessageContaining("must be one of");
            assertThatThrownBy(() -> api.put("/vsock", Map.of("guest_cid", 3, "uds_path", "/x", "colour", "red")))
                    .hasMessageContaining("unknown field");
            assertThatThrownBy(() -> api.put("/no-such-path", Map.of())).hasMessageContaining("Invalid request");
        } finally {
            first.destroyForcibly().waitFor();
            second.destroyForcibly().waitFor();
            sh.chaser.agent.host.Files2.deleteRecursively(runtime.jailRoot(id).getParent());
        }
    }

    /** A sandbox of one vCPU and 256 MiB on {@code workspace}, booted by the runtime and recorded running. */
    private SandboxRecord booted(String id, String workspace) {
        SandboxRecord record = SandboxRecord.requested(new SandboxSpec(id, "sandbox", "base", workspace,
                new Limits(1, 256L << 20, 0), Map.of()), FirecrackerRuntime.NAME);
        return record.running(runtime.boot(record, next -> {}), java.time.Instant.now());
    }

    /** A stand-in process that serves the API only (no VM behind it). */
    private Process stub(Path socket) throws Exception {
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        Process process = new ProcessBuilder(home.resolve("firecracker-api-only").toString(), "--api-sock",
                socket.toString(),
                "--id", "t").redirectErrorStream(true)
                .redirectOutput(home.resolve(socket.getFileName() + ".log").toFile()).start();
        var api = new FirecrackerApi(socket);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(api::answers);
        return process;
    }

    private static List<JsonNode> requests(Path socket) throws IOException {
        return Files.readAllLines(Path.of(socket + ".requests")).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static JsonNode find(List<JsonNode> requests, String path) {
        return requests.stream().filter(r -> r.get("path").asText().equals(path)).findFirst().orElseThrow().get("body");
    }

    private static AgentConfig.Firecracker config(Optional<String> binary, Optional<String> jailer, Path kvm) {
        return new AgentConfig.Firecracker() {

            public Optional<String> binary() {
                return binary;
            }
            public Optional<String> jailer() {
                return jailer;
            }
            public Optional<String> kernel() {
                return Optional.empty();
            }
            public String bootArgs() {
                return "console=ttyS0 reboot=k panic=1 pci=off";
            }
            public String kvmDevice() {
                return kvm.toString();
            }
            public String chrootBase() {
                return JAILS.toString();
            }
        };
    }
}
