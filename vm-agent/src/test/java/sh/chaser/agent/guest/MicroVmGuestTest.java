package sh.chaser.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.testhost.NeedsRoot;
import sh.chaser.testhost.NeedsTools;

/**
 * A real microVM: QEMU {@code -M microvm} (TCG here, no KVM) boots Debian's kernel with the
 * initramfs {@code guest/vm/build-guest} makes, and the host reaches chaser-guest inside over a tap
 * of the test's own, as the {@code qemu} runtime will. Not yet a runtime: the first step of issue 22.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@NeedsRoot("a tap device and a VM")
@NeedsTools({"qemu-system-x86_64", "busybox", "cpio", "modprobe", "python3", "ip"})
class MicroVmGuestTest {

    private static final String TAP = "chqtest0";
    private static final String HOST = "10.250.79.1";
    private static final String GUEST = "10.250.79.2";
    private static final String TOKEN = "microvm-test-token-" + System.nanoTime();
    private final Path out = Path.of("target/guest-vm").toAbsolutePath();
    private Process qemu;
    private GuestClient client;

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @BeforeAll
    void boot() throws Exception {
        run(Path.of("guest/vm/build-guest").toAbsolutePath().toString(), out.toString(),
                Path.of("target/guest/chaser-guest").toAbsolutePath().toString());
        new ProcessBuilder("ip", "link", "delete", TAP).start().waitFor();
        run("ip", "tuntap", "add", "dev", TAP, "mode", "tap");
        run("ip", "addr", "add", HOST + "/30", "dev", TAP);
        run("ip", "link", "set", TAP, "up");
        qemu = new ProcessBuilder(List.of("qemu-system-x86_64", "-M", "microvm", "-accel", "tcg,tb-size=64", "-m", "512",
                "-smp", "1", "-nodefaults", "-no-user-config", "-nographic", "-serial", "stdio", "-no-reboot",
                "-kernel", out.resolve("vmlinux").toString(), "-initrd", out.resolve("initramfs.cpio.gz").toString(),
                "-append", "console=ttyS0 panic=-1 quiet " + clockHints() + " chaser.ip=" + GUEST + "/30 chaser.gw=" + HOST
                        + " chaser.token=" + TOKEN,
                "-object", "rng-random,id=rng0,filename=/dev/urandom", "-device", "virtio-rng-device,rng=rng0",
                "-netdev", "tap,id=n0,ifname=" + TAP + ",script=no,downscript=no", "-device", "virtio-net-device,netdev=n0"))
                .redirectErrorStream(true).redirectOutput(out.resolve("console.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        client = new GuestClient(new GuestClient.Address(GUEST, 7000, TOKEN));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!client.ready()) {
            assertThat(qemu.isAlive()).as("QEMU runs: " + Files.readString(out.resolve("console.log"))).isTrue();
            assertThat(System.nanoTime()).as("the guest agent answers within 120 s under TCG").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * Under TCG the guest's own TSC and delay-loop calibration can take minutes: it is told the
     * host's TSC rate and a loops-per-jiffy value instead (microvm-facts.md, section 4).
     */
    private static String clockHints() throws Exception {
        double mhz = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("cpu MHz"))
                .map(l -> Double.parseDouble(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElseThrow();
        return "lpj=4000000 tsc_early_khz=" + Math.round(mhz * 1000) + " tsc=reliable";
    }

    @AfterAll
    void shutDown() throws Exception {
        if (qemu != null) {
            qemu.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        new ProcessBuilder("ip", "link", "delete", TAP).start().waitFor();
    }

    @Test
    void commandsRunInTheVmsOwnKernelNotTheHosts() throws Exception {
        var result = client.exec("uname -r; cat /proc/1/comm", null, null, Duration.ofSeconds(60));
        String[] lines = new String(result.output(), StandardCharsets.UTF_8).split("\n");
        String hostKernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        assertThat(result.exitCode()).isZero();
        // positive control: the probe reads a kernel release, and the host's is another one
        assertThat(lines[0]).matches("\\d+\\.\\d+\\..*-amd64").isNotEqualTo(hostKernel);
        assertThat(lines[1]).isEqualTo("init");
    }

    @Test
    void filesGoInAndOutOfTheVm() throws Exception {
        byte[] data = new byte[1 << 20];
        new java.util.Random(7).nextBytes(data);
        assertThat(client.put("/workspace/blob", data).getLong("size")).isEqualTo(data.length);
        assertThat(client.get("/workspace/blob")).isEqualTo(data);
    }

    @Test
    void theAgentInTheVmRefusesAnotherToken() {
        var intruder = new GuestClient(new GuestClient.Address(GUEST, 7000, "not-the-vms-token"));
        var refused = catchThrowableOfType(() -> intruder.exec("id", null, null, Duration.ofSeconds(30)), GuestException.class);
        assertThat(refused.code()).isEqualTo("unauthenticated");
        // positive control: the VM's own token is answered
        assertThat(client.ready()).isTrue();
    }
}
