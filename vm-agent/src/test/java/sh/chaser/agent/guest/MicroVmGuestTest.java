package sh.chaser.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.testhost.NeedsRoot;
import sh.chaser.testhost.NeedsTools;

/**
 * A real microVM: QEMU {@code -M microvm} (TCG here, no KVM) boots Debian's kernel with the
 * initramfs {@code guest/vm/build-guest} makes (the initramfs as root), and the host reaches
 * chaser-guest inside over a tap of the test's own. Not yet a runtime: the first step of issue 22.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@NeedsRoot("a tap device and a VM")
@NeedsTools({ "qemu-system-x86_64", "busybox", "cpio", "modprobe", "python3", "ip" })
class MicroVmGuestTest {

    private MicroVm vm;

    @BeforeAll
    void boot() throws Exception {
        MicroVm.buildGuest();
        vm = MicroVm.boot("chqtest0", "10.250.79", List.of(), "", 120);
    }

    @AfterAll
    void shutDown() throws Exception {
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    void commandsRunInTheVmsOwnKernelAsTheSandboxUser() throws Exception {
        var result = vm.client.exec("uname -r; id -u; tr '\\0' ' ' < /proc/1/cmdline", null, null,
                Duration.ofSeconds(60));
        String[] lines = new String(result.output(), StandardCharsets.UTF_8).split("\n");
        String hostKernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        assertThat(result.exitCode()).isZero();
        // positive control: the probe reads a kernel release, and the host's is another one
        assertThat(lines[0]).matches("\\d+\\.\\d+\\..*-amd64").isNotEqualTo(hostKernel);
        assertThat(lines[1]).isEqualTo("1000");
        assertThat(lines[2]).contains("chaser-stage2");
    }

    @Test
    void filesGoInAndOutOfTheVm() throws Exception {
        byte[] data = new byte[1 << 20];
        new java.util.Random(7).nextBytes(data);
        assertThat(vm.client.put("/workspace/blob", data).getLong("size")).isEqualTo(data.length);
        assertThat(vm.client.get("/workspace/blob")).isEqualTo(data);
    }

    @Test
    void theAgentInTheVmRefusesAnotherToken() {
        var address = vm.client.address();
        var intruder = new GuestClient(new GuestClient.Address(address.host(), address.port(), "not-the-vms-token"));
        var refused = catchThrowableOfType(() -> intruder.exec("id", null, null, Duration.ofSeconds(30)),
                GuestException.class);
        assertThat(refused.code()).isEqualTo("unauthenticated");
        // positive control: the VM's own token is answered
        assertThat(vm.client.ready()).isTrue();
    }
}
