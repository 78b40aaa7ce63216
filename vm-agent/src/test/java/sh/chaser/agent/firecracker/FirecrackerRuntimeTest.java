package sh.chaser.agent.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.runtime.ProcessTable;
import sh.chaser.agent.runtime.SandboxPaths;
import sh.chaser.agent.runtime.firecracker.FirecrackerApi;
import sh.chaser.agent.runtime.firecracker.FirecrackerRuntime;
import sh.chaser.testhost.NeedsRoot;

/**
 * The Firecracker driver against a stand-in firecracker process ({@link FirecrackerApiStub}) that
 * validates every request against Firecracker's published API and its ordering rules.
 */
@NeedsRoot("tap devices and iptables for the VM's network")
class FirecrackerRuntimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path home = Path.of("target/firecracker-test").toAbsolutePath();
    private FirecrackerRuntime runtime;
    private AgentConfig.Firecracker config;
    private SandboxRecord record;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(home);
        Path binary = home.resolve("firecracker");
        Files.writeString(binary, "#!/bin/sh\nFIRECRACKER_API_SPEC='" + Path.of("src/test/resources/firecracker-api.yaml")
                .toAbsolutePath() + "' exec '" + ProcessHandle.current().info().command().orElseThrow() + "' -cp '"
                + System.getProperty("java.class.path") + "' " + FirecrackerApiStub.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path kernel = Files.writeString(home.resolve("vmlinux"), "kernel");
        Path rootfs = Files.writeString(home.resolve("rootfs.ext4"), "rootfs");
        Path kvm = Files.writeString(home.resolve("kvm"), ""); // a device the test can open, as /dev/kvm would be
        config = config(Optional.of(binary.toString()), kernel, rootfs, kvm);
        runtime = new FirecrackerRuntime(config, new SandboxPaths(home.resolve("data")), new Limits(2, 256L << 20, 64));
        String id = UUID.randomUUID().toString();
        record = SandboxRecord.requested(new SandboxSpec(id, "sandbox", "base", "", new Limits(0, 0, 0), Map.of()),
                FirecrackerRuntime.NAME);
        Files.createDirectories(home.resolve("data/sandboxes").resolve(id));
    }

    @AfterEach
    void tearDown() {
        runtime.destroy(record);
        sh.chaser.agent.runtime.Files2.deleteRecursively(Path.of("/run/chaser/fc-test"));
    }

    @Test
    void chosenOnlyWithAUsableKvmDeviceAndAConfiguredBinary() throws IOException {
        Path vmx = Files.writeString(home.resolve("cpuinfo-vmx"), "processor\t: 0\nflags\t\t: fpu vme vmx sse\n");
        Path pvm = Files.writeString(home.resolve("cpuinfo-pvm"), "processor\t: 0\nflags\t\t: fpu vme sse hypervisor\n");
        assertThat(FirecrackerRuntime.usable(config, vmx)).isTrue();
        // a KVM device without hardware virtualization (a guest under PVM): QEMU and Firecracker abort there
        assertThat(FirecrackerRuntime.usable(config, pvm)).isFalse();
        assertThat(FirecrackerRuntime.usable(config(Optional.empty(), home.resolve("vmlinux"), home.resolve("rootfs.ext4"),
                home.resolve("kvm")))).isFalse();
        assertThat(FirecrackerRuntime.usable(config(config.binary(), home.resolve("vmlinux"), home.resolve("rootfs.ext4"),
                home.resolve("no-kvm-" + UUID.randomUUID())))).isFalse();
    }

    @Test
    void bootConfiguresTheMicroVmInFirecrackersOrderAndStartsIt() throws IOException {
        var handle = runtime.boot(record, next -> { });
        record = record.running(handle, java.time.Instant.now());
        assertThat(runtime.alive(record)).isTrue();

        List<JsonNode> requests = requests();
        assertThat(requests).extracting(r -> r.get("method").asText() + " " + r.get("path").asText()).containsSubsequence(
                "PUT /machine-config", "PUT /boot-source", "PUT /drives/rootfs", "PUT /drives/workspace",
                "PUT /network-interfaces/eth0", "PUT /vsock", "PUT /actions");
        JsonNode machine = find(requests, "/machine-config");
        assertThat(machine.get("vcpu_count").asInt()).isEqualTo(2);
        assertThat(machine.get("mem_size_mib").asInt()).isEqualTo(256);
        assertThat(find(requests, "/actions").get("action_type").asText()).isEqualTo("InstanceStart");
        assertThat(new FirecrackerApi(runtime.apiSocket(record.sessionId())).get("/").get("state").asText()).isEqualTo("Running");
        assertThat(Path.of("/sys/class/net", "fct" + record.sessionId().substring(0, 8))).exists();

        runtime.destroy(record);
        assertThat(ProcessTable.alive(handle.pid(), handle.startTicks())).isFalse();
        assertThat(Path.of("/sys/class/net", "fct" + record.sessionId().substring(0, 8))).doesNotExist();
    }

    @Test
    void pauseSnapshotResumeAndLoadFollowFirecrackersRules() throws Exception {
        record = record.running(runtime.boot(record, next -> { }), java.time.Instant.now());
        Path state = home.resolve("vm.state");
        Path memory = home.resolve("vm.mem");
        assertThatThrownBy(() -> runtime.snapshot(record, state, memory)).isInstanceOf(FirecrackerApi.Fault.class)
                .hasMessageContaining("not paused");
        runtime.pause(record);
        runtime.snapshot(record, state, memory);
        runtime.resume(record);
        assertThat(new FirecrackerApi(runtime.apiSocket(record.sessionId())).get("/").get("state").asText()).isEqualTo("Running");

        // a snapshot loads only into a firecracker process nothing has configured yet
        Path fresh = Path.of("/run/chaser/fc-test/fresh-" + record.sessionId().substring(0, 8) + ".sock");
        Files.deleteIfExists(fresh);
        Process second = new ProcessBuilder(config.binary().orElseThrow(), "--api-sock", fresh.toString(), "--id", "fresh")
                .redirectErrorStream(true).redirectOutput(home.resolve("fresh.log").toFile()).start();
        try {
            var api = new FirecrackerApi(fresh);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(api::answers);
            runtime.load(fresh, state, memory);
            assertThat(api.get("/").get("state").asText()).isEqualTo("Running");
            assertThatThrownBy(() -> runtime.load(fresh, state, memory)).isInstanceOf(FirecrackerApi.Fault.class);
        } finally {
            second.destroyForcibly().waitFor();
        }
    }

    @Test
    void theStubRefusesWhatFirecrackerRefuses() {
        record = record.running(runtime.boot(record, next -> { }), java.time.Instant.now());
        var api = new FirecrackerApi(runtime.apiSocket(record.sessionId()));
        assertThatThrownBy(() -> api.put("/machine-config", Map.of("vcpu_count", 1, "mem_size_mib", 128)))
                .hasMessageContaining("after starting");
        assertThatThrownBy(() -> api.put("/actions", Map.of("action_type", "Reboot"))).hasMessageContaining("must be one of");
        assertThatThrownBy(() -> api.put("/vsock", Map.of("guest_cid", 3, "uds_path", "/x", "colour", "red")))
                .hasMessageContaining("unknown field");
        assertThatThrownBy(() -> api.put("/no-such-path", Map.of())).hasMessageContaining("Invalid request");
    }

    private List<JsonNode> requests() throws IOException {
        return Files.readAllLines(Path.of(runtime.apiSocket(record.sessionId()) + ".requests")).stream()
                .map(line -> {
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

    private static AgentConfig.Firecracker config(Optional<String> binary, Path kernel, Path rootfs, Path kvm) {
        return new AgentConfig.Firecracker() {
            public Optional<String> binary() { return binary; }
            public Optional<String> kernel() { return Optional.of(kernel.toString()); }
            public Optional<String> rootfs() { return Optional.of(rootfs.toString()); }
            public String bootArgs() { return "console=ttyS0 reboot=k panic=1 pci=off"; }
            public String kvmDevice() { return kvm.toString(); }
            public String socketDir() { return "/run/chaser/fc-test"; }
        };
    }
}
