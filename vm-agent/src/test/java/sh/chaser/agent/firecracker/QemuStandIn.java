package sh.chaser.agent.firecracker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import sh.chaser.agent.runtime.microvm.ClockHints;

/**
 * What the Firecracker stand-in boots on hosts without KVM: the VM Firecracker was configured
 * with (machine size, kernel, initrd, boot arguments, drives in the order they were put, the tap
 * and its MAC) as a QEMU microvm under TCG. QEMU finds the devices through ACPI, so Debian's
 * kernel boots here; Firecracker's command-line device discovery is not exercised. QEMU dies with
 * the stand-in (parent-death signal), as a VM dies with its firecracker process.
 */
final class QemuStandIn {

    private long memoryMiB = 128;
    private int vcpus = 1;
    private JsonNode boot;
    private final List<JsonNode> drives = new ArrayList<>();
    private JsonNode network;

    void configure(String path, JsonNode body) {
        if (path.equals("/machine-config")) {
            memoryMiB = body.path("mem_size_mib").asLong();
            vcpus = body.path("vcpu_count").asInt();
        } else if (path.equals("/boot-source")) {
            boot = body;
        } else if (path.startsWith("/drives/")) {
            drives.add(body);
        } else if (path.startsWith("/network-interfaces/")) {
            network = body;
        }
    }

    void start() {
        List<String> command = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "qemu-system-x86_64",
                "-M", "microvm", "-accel", "tcg,tb-size=64", "-cpu", "max", "-m", Long.toString(memoryMiB),
                "-smp", Integer.toString(vcpus), "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-serial", "stdio", "-kernel", boot.path("kernel_image_path").asText(),
                "-initrd", boot.path("initrd_path").asText(),
                "-append", boot.path("boot_args").asText() + " " + ClockHints.forTcg(),
                "-netdev", "tap,id=n0,ifname=" + network.path("host_dev_name").asText() + ",script=no,downscript=no",
                "-device", "virtio-net-device,netdev=n0,mac=" + network.path("guest_mac").asText()));
        for (int i = 0; i < drives.size(); i++) {
            JsonNode drive = drives.get(i);
            command.addAll(List.of("-drive", "id=d" + i + ",file=" + drive.path("path_on_host").asText() + ",format=raw,if=none"
                    + (drive.path("is_read_only").asBoolean() ? ",readonly=on" : ""), "-device", "virtio-blk-device,drive=d" + i));
        }
        try {
            new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
