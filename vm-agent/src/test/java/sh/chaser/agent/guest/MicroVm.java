package sh.chaser.agent.guest;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One QEMU microVM for a test (TCG here): the kernel and initramfs of {@code guest/vm/build-guest},
 * a tap of its own with host {@code <net>.1} and guest {@code <net>.2}, optional disks; closed, the
 * VM is killed and the tap deleted. What the {@code qemu} runtime will do per sandbox.
 */
final class MicroVm implements AutoCloseable {

    static final Path OUT = Path.of("target/guest-vm").toAbsolutePath();
    private final Process qemu;
    private final String tap;
    final GuestClient client;

    private MicroVm(Process qemu, String tap, GuestClient client) {
        this.qemu = qemu;
        this.tap = tap;
        this.client = client;
    }

    /** Builds the kernel and initramfs (the kernel is downloaded once per version). */
    static void buildGuest() throws Exception {
        run(Path.of("guest/vm/build-guest").toAbsolutePath().toString(), OUT.toString(),
                Path.of("target/guest/chaser-guest").toAbsolutePath().toString());
    }

    /**
     * @param disks    raw images attached in order as vda, vdb, ... ({@code path} or {@code path:ro})
     * @param cmdline  more kernel parameters, e.g. {@code chaser.root=erofs chaser.ws=vdb}
     */
    static MicroVm boot(String tap, String net, List<String> disks, String cmdline, int seconds) throws Exception {
        String token = "microvm-token-" + System.nanoTime();
        new ProcessBuilder("ip", "link", "delete", tap).start().waitFor();
        run("ip", "tuntap", "add", "dev", tap, "mode", "tap");
        run("ip", "addr", "add", net + ".1/30", "dev", tap);
        run("ip", "link", "set", tap, "up");
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64", "-M", "microvm", "-accel",
                "tcg,tb-size=64",
                "-m", "512", "-smp", "1", "-nodefaults", "-no-user-config", "-nographic", "-serial", "stdio",
                "-no-reboot",
                "-kernel", OUT.resolve("vmlinux").toString(), "-initrd", OUT.resolve("initramfs.cpio.gz").toString(),
                "-append",
                "console=ttyS0 panic=-1 quiet " + clockHints() + " chaser.ip=" + net + ".2/30 chaser.gw=" + net
                        + ".1 chaser.token=" + token + " " + cmdline,
                "-object", "rng-random,id=rng0,filename=/dev/urandom", "-device", "virtio-rng-device,rng=rng0",
                "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no", "-device",
                "virtio-net-device,netdev=n0"));
        for (int i = 0; i < disks.size(); i++) {
            String[] disk = disks.get(i).split(":");
            command.addAll(List.of("-drive", "id=d" + i + ",file=" + disk[0] + ",format=raw,if=none"
                    + (disk.length > 1 ? ",readonly=on" : ""), "-device", "virtio-blk-device,drive=d" + i));
        }
        Path console = OUT.resolve("console-" + tap + ".log");
        Process qemu = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        MicroVm vm = new MicroVm(qemu, tap, new GuestClient(new GuestClient.Address(net + ".2", 49983, token)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!vm.client.ready()) {
            if (!qemu.isAlive() || System.nanoTime() > deadline) {
                vm.close();
                throw new IllegalStateException("the VM's agent did not answer within " + seconds + " s; console: "
                        + Files.readString(console));
            }
            Thread.sleep(100);
        }
        return vm;
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

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** Writes the guest's dirty pages to its disks first (a killed VM loses what is only in its page cache). */
    @Override
    public void close() throws Exception {
        try {
            client.exec("sync", "/", null, java.time.Duration.ofSeconds(60));
        } catch (RuntimeException | java.io.IOException gone) {
            // the VM is not answering: nothing more to save
        }
        qemu.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        new ProcessBuilder("ip", "link", "delete", tap).start().waitFor();
    }
}
