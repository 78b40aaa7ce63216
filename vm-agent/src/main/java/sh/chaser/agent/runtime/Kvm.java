package sh.chaser.agent.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether this host can run hardware-accelerated VMs: the KVM device opens for reading and writing
 * and the CPU has hardware virtualization (vmx or svm). A guest under PVM has a /dev/kvm whose KVM
 * aborts QEMU with a stock kernel ("failed to set MSR 0x10a") and no vmx/svm: not usable.
 */
public final class Kvm {

    private Kvm() {}

    public static boolean usable(Path device) {
        return usable(device, Path.of("/proc/cpuinfo"));
    }

    /** As {@link #usable(Path)}, with the CPU's flags read from {@code cpuinfo}. */
    public static boolean usable(Path device, Path cpuinfo) {
        try (var kvm = FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags"))
                    .anyMatch(l -> l.matches(".*\\b(vmx|svm)\\b.*"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
