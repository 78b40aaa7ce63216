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
                        .setCommand("id -u; hostname; cat /proc/cmdline | grep -c chaser.ip; grep -c '^ID=debian' /etc/os-release;"
                                + " echo kept > /workspace/note.txt; echo $GREETING").putEnv("GREETING", "hi").build());
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
                                + " cat /run/chaser-token >/dev/null 2>&1 || echo token-file-unreadable").build());
                assertThat(secrets.getOutput().toStringUtf8())
                        .isEqualTo("0\ndisk-there\nunreadable\ntoken-file-there\ntoken-file-unreadable\n");
                // the guest answers no one without the VM's token
                var refused = catchThrowableOfType(() -> new GuestClient(new GuestClient.Address(guest.address().host(),
                        guest.address().port(), "not-the-token-of-this-vm")).exec("true", null, Map.of(), Duration.ofSeconds(10)),
                        GuestException.class);
                assertThat(refused.status()).isEqualTo(401);
                // nothing of the host answers the VM: the host's end of its tap drops new connections
                String host = guest.address().host().replaceAll("\\.\\d+$", "." + (Integer.parseInt(
                        guest.address().host().replaceAll(".*\\.", "")) - 1));
                var probe = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setTimeoutMs(30_000)
                        .setCommand("curl -s -m 3 -o /dev/null -w '%{http_code}' http://" + host + ":" + base.getPort()
                                + "/q/health; echo \" $?\"; curl -s -m 3 -o /dev/null -w '%{http_code}' http://"
                                + guest.address().host() + ":" + guest.address().port() + "/v1/ready").build());
                // positive control: the same probe reaches the guest's own agent (which refuses it: not the host)
                assertThat(probe.getOutput().toStringUtf8()).as("the agent's port, then the guest's own agent")
                        .isEqualTo("000 28\n403");
            } finally {
                agent.destroy(id);
            }
            String again = AgentClient.newSessionId();
            agent.boot(again, Limits.getDefaultInstance(), workspace);
            try {
                var r = agent.stub().exec(ExecRequest.newBuilder().setSessionId(again).setCommand("cat /workspace/note.txt").build());
                assertThat(r.getOutput().toStringUtf8()).isEqualTo("kept\n");
            } finally {
                agent.destroy(again);
            }
        }
    }
}
