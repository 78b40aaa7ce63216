package sh.chaser.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.commands.BackgroundCommands;
import sh.chaser.agent.guest.GuestClient;
import sh.chaser.agent.guest.GuestException;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.QemuTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.proto.vmagent.v1.ExecRequest;
import sh.chaser.proto.vmagent.v1.Limits;
import sh.chaser.proto.vmagent.v1.VmState;

/**
 * The {@code qemu} runtime end to end through the agent's API: a real microVM (TCG here, one at a
 * time) booted from the default image's erofs root with the workspace's ext4 image, commands and
 * files through the guest agent inside, the workspace surviving the VM, and the guest reachable
 * only by the host with the VM's token.
 */
@QuarkusTest
@TestProfile(QemuTestProfile.class)
@SandboxHost
class QemuRuntimeTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    Sandboxes sandboxes;
    @Inject
    BackgroundCommands commands;
    @Inject
    @org.eclipse.microprofile.health.Readiness
    sh.chaser.agent.health.DefaultImageCheck prepared;

    /** On a fresh host the default image, kernel and root disk take minutes; a boot's call has one. */
    @org.junit.jupiter.api.BeforeEach
    void prepared() {
        sh.chaser.agent.support.DefaultImageReady.await(prepared);
    }

    @Test
    void aSessionIsAMicroVmWithItsWorkspaceOnADiskThatOutlivesIt() throws Exception {
        try (AgentClient agent = new AgentClient(base.getPort())) {
            String workspace = java.util.UUID.randomUUID().toString();
            String id = AgentClient.newSessionId();
            var vm = agent.boot(id, Limits.getDefaultInstance(), workspace);
            assertThat(vm.getState()).isEqualTo(VmState.VM_STATE_RUNNING);
            assertThat(vm.getRuntime()).isEqualTo("qemu");
            try {
                var r = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id)
                        .setCommand(
                                "id -u; hostname; cat /proc/cmdline | grep -c chaser.ip; grep -c '^ID=debian' /etc/os-release;"
                                        + " echo kept > /workspace/note.txt; echo $GREETING")
                        .putEnv("GREETING", "hi").build());
                // a kernel of its own (the host's has no chaser.ip), the image's Debian, the sandbox's user
                assertThat(r.getOutput().toStringUtf8()).isEqualTo("1000\nsbx-" + id.substring(0, 8) + "\n1\n1\nhi\n");
                var command = commands.start(id, "echo from-the-background; exit 3", null, Map.of());
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !command.running());
                assertThat(command.exitCode()).isEqualTo(3);
                GuestClient guest = sandboxes.guest(id);
                assertThat(new String(guest.get("note.txt"), StandardCharsets.UTF_8)).isEqualTo("kept\n");
                // the token is not on the kernel command line and its disk is root's alone; positive control:
                // the probe looks at the disk that is there
                var secrets = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setCommand(
                        "grep -c chaser.token /proc/cmdline; test -b /dev/vdc && echo disk-there; cat /dev/vdc >/dev/null 2>&1"
                                + " || echo unreadable; test -e /run/chaser-token && echo token-file-there;"
                                + " cat /run/chaser-token >/dev/null 2>&1 || echo token-file-unreadable")
                        .build());
                assertThat(secrets.getOutput().toStringUtf8())
                        .isEqualTo("0\ndisk-there\nunreadable\ntoken-file-there\ntoken-file-unreadable\n");
                // the guest answers no one without the VM's token
                var refused = catchThrowableOfType(() -> new GuestClient(new GuestClient.Address(guest.address().host(),
                        guest.address().port(), "not-the-token-of-this-vm"))
                        .exec("true", null, Map.of(), Duration.ofSeconds(10)),
                        GuestException.class);
                assertThat(refused.status()).isEqualTo(401);
                // nothing of the host answers the VM: the host's end of its tap drops new connections
                String host = guest.address().host().replaceAll("\\.\\d+$", "." + (Integer.parseInt(
                        guest.address().host().replaceAll(".*\\.", "")) - 1));
                var probe = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setTimeoutMs(30_000)
                        .setCommand("curl -s -m 3 -o /dev/null -w '%{http_code}' http://" + host + ":" + base.getPort()
                                + "/q/health; echo \" $?\"; curl -s -m 3 -o /dev/null -w '%{http_code}' http://"
                                + guest.address().host() + ":" + guest.address().port() + "/v1/ready")
                        .build());
                // positive control: the same probe reaches the guest's own agent (which refuses it: not the host)
                assertThat(probe.getOutput().toStringUtf8()).as("the agent's port, then the guest's own agent")
                        .isEqualTo("000 28\n403");
            } finally {
                agent.destroy(id);
            }
            String again = AgentClient.newSessionId();
            agent.boot(again, Limits.getDefaultInstance(), workspace);
            try {
                var r = agent.stub().exec(
                        ExecRequest.newBuilder().setSessionId(again).setCommand("cat /workspace/note.txt").build());
                assertThat(r.getOutput().toStringUtf8()).isEqualTo("kept\n");
            } finally {
                agent.destroy(again);
            }
        }
    }

    @Test
    void aVmHoldsItsLimitsInsideAndItsQemuIsHeldOnTheHost() throws Exception {
        try (AgentClient agent = new AgentClient(base.getPort())) {
            String id = AgentClient.newSessionId();
            agent.boot(id, Limits.newBuilder().setVcpus(1).setMemoryBytes(256L << 20).setMaxProcesses(24).build(),
                    java.util.UUID.randomUUID().toString());
            try {
                // 40 children against a cap of 24 processes: some forks are refused; positive control: 10 all start
                String spawn = "python3 -c 'import os,time\nkids=[]\nfor i in range(%d):\n try: pid=os.fork()\n"
                        + " except OSError: continue\n if pid==0:\n  time.sleep(30); os._exit(0)\n kids.append(pid)\n"
                        + "print(\"started=%%d\" %% len(kids))\nfor k in kids: os.kill(k,9)'";
                var few = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setTimeoutMs(60_000)
                        .setCommand(String.format(spawn, 10)).build()).getOutput().toStringUtf8();
                assertThat(few).as("10 processes fit under the cap").isEqualTo("started=10\n");
                var many = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setTimeoutMs(60_000)
                        .setCommand(String.format(spawn, 40)).build()).getOutput().toStringUtf8();
                int started = Integer.parseInt(many.strip().replace("started=", ""));
                assertThat(started).as("the guest kernel caps the sandbox user's processes: " + many).isBetween(10, 23);
                var sizes = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id)
                        .setCommand("nproc; awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo").build()).getOutput()
                        .toStringUtf8();
                String[] lines = sizes.split("\n");
                assertThat(lines[0]).as("vCPUs").isEqualTo("1");
                assertThat(Integer.parseInt(lines[1])).as("the guest's RAM in MiB").isBetween(180, 256);

                ProcessHandle qemu = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                        .contains("chaser.hostname=sbx-" + id.substring(0, 8))).findFirst().orElseThrow();
                String memoryGroup = java.nio.file.Files
                        .readAllLines(java.nio.file.Path.of("/proc/" + qemu.pid() + "/cgroup"))
                        .stream().filter(l -> l.contains(":memory:") || l.startsWith("0::")).findFirst().orElseThrow()
                        .replaceAll("^[^:]*:[^:]*:", "");
                assertThat(memoryGroup).as("QEMU's cgroup").endsWith("/" + id);
                java.nio.file.Path v1 = java.nio.file.Path
                        .of("/sys/fs/cgroup/memory" + memoryGroup + "/memory.limit_in_bytes");
                java.nio.file.Path limit = java.nio.file.Files.exists(v1)
                        ? v1
                        : java.nio.file.Path.of("/sys/fs/cgroup" + memoryGroup + "/memory.max");
                long held = Long.parseLong(java.nio.file.Files.readString(limit).strip());
                assertThat(held).as("QEMU holds the guest's RAM and its own overhead, no more")
                        .isGreaterThan(256L << 20).isLessThanOrEqualTo((256L + 256 + 64) << 20);
                qemuRunsUnprivileged(qemu);
            } finally {
                agent.destroy(id);
            }
        }
    }

    /**
     * A tenant who escapes the guest into QEMU is a uid of that VM's own (not root), in an empty
     * root, under a seccomp filter: it reads neither the VM's token nor the workspace image by path
     * (QEMU opened them as root before dropping). Positive control: root reads both.
     */
    private static void qemuRunsUnprivileged(ProcessHandle qemu) throws Exception {
        var status = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + qemu.pid() + "/status"));
        long uid = Long.parseLong(
                status.stream().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1]);
        assertThat(uid).as("QEMU's uid: the VM's own, from vm-id-base").isBetween(1_999_000_000L, 1_999_100_000L);
        assertThat(status).as("all of QEMU's ids").contains("Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid,
                "Gid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid, "Seccomp:\t2");
        assertThat(
                java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/" + qemu.pid() + "/root")).toString())
                .as("QEMU's root").endsWith("/empty");
        String commandLine = qemu.info().commandLine().orElseThrow();
        java.util.regex.Matcher qmp = java.util.regex.Pattern.compile("unix:(\\S+)/qmp\\.sock").matcher(commandLine);
        java.util.regex.Matcher workspace = java.util.regex.Pattern.compile("id=ws,file=([^,]+),").matcher(commandLine);
        assertThat(qmp.find() && workspace.find()).as(commandLine).isTrue();
        for (String file : List.of(qmp.group(1) + "/guest.token", workspace.group(1))) {
            assertThat(readsAs(0, file)).as("root reads %s", file).isTrue();
            assertThat(readsAs(uid, file)).as("QEMU's uid reads %s", file).isFalse();
        }
    }

    private static boolean readsAs(long uid, String file) throws Exception {
        Process read = new ProcessBuilder("setpriv", "--reuid", Long.toString(uid), "--regid", Long.toString(uid),
                "--clear-groups",
                "head", "-c", "1", file).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(read.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return read.exitValue() == 0;
    }

    @Test
    void aBootNamesOneOfTheRuntimesTheHostOffers() throws Exception {
        assertThat(sandboxes.offered()).containsExactly("qemu", "namespace");
        try (AgentClient agent = new AgentClient(base.getPort())) {
            String id = AgentClient.newSessionId();
            var vm = agent.stub().boot(sh.chaser.proto.vmagent.v1.BootRequest.newBuilder().setSessionId(id)
                    .setSessionType("sandbox").setRuntime("namespace").build());
            try {
                assertThat(vm.getRuntime()).isEqualTo("namespace");
                var r = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id)
                        .setCommand("grep -c chaser.ip /proc/cmdline || true").build());
                assertThat(r.getOutput().toStringUtf8()).as("the host's kernel, not a VM's").isEqualTo("0\n");
            } finally {
                agent.destroy(id);
            }
            var refused = catchThrowableOfType(
                    () -> agent.stub().boot(sh.chaser.proto.vmagent.v1.BootRequest.newBuilder()
                            .setSessionId(AgentClient.newSessionId()).setSessionType("sandbox")
                            .setRuntime("firecracker").build()),
                    io.grpc.StatusRuntimeException.class);
            assertThat(AgentClient.code(refused)).isEqualTo("runtime_unavailable");
        }
    }

    @Test
    void aBrowserMicroVmServesDevToolsOnItsOwnAddress() throws Exception {
        try (AgentClient agent = new AgentClient(base.getPort())) {
            String id = AgentClient.newSessionId();
            var vm = agent.stub().withDeadlineAfter(5, java.util.concurrent.TimeUnit.MINUTES).boot(
                    sh.chaser.proto.vmagent.v1.BootRequest.newBuilder().setSessionId(id).setSessionType("browser")
                            .build());
            try {
                assertThat(vm.getState()).isEqualTo(VmState.VM_STATE_RUNNING);
                String address = sandboxes.guest(id).address().host();
                var version = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + address + ":9222/json/version")).timeout(Duration.ofSeconds(30))
                        .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(version.body()).contains("\"Browser\"").contains("webSocketDebuggerUrl");
                var who = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id)
                        .setCommand("ps -o uid= -C chromium | tr -d ' ' | sort -u; grep -c chaser.layer /proc/cmdline")
                        .build());
                assertThat(who.getOutput().toStringUtf8()).as("Chromium runs as the sandbox's user in the VM")
                        .isEqualTo("1000\n1\n");
                assertThat(agent.get(id).getState()).as("positive control: running while Chromium runs")
                        .isEqualTo(VmState.VM_STATE_RUNNING);
                // Chromium's end is the browser session's end, as in a namespace sandbox
                agent.stub().exec(
                        ExecRequest.newBuilder().setSessionId(id).setCommand("pkill -KILL -x chromium; true").build());
                Awaitility.await("the browser session ends with its Chromium").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> agent.get(id).getState() == VmState.VM_STATE_STOPPED);
                assertThat(agent.get(id).getExitReason()).isEqualTo("vm_exited");
                assertThat(sandboxes.get(id).orElseThrow().handle().pid()).satisfies(pid -> assertThat(
                        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("its QEMU stopped")
                        .isFalse());
            } finally {
                agent.destroy(id);
            }
        }
    }
}
