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
 * the stand-in (parent-death signal), as a VM dies with its firecracker process. Jailed, QEMU runs
 * as the jail's uid on the files in its root.
 */
final class QemuStandIn {

    private long memoryMiB = 128;
    private int vcpus = 1;
    private JsonNode boot;
    private final List<JsonNode> drives = new ArrayList<>();
    private JsonNode network;
    private final StandInJail jail;

    QemuStandIn(StandInJail jail) {
        this.jail = jail;
    }

    /** A path the API named, on the host: in the jail's root when jailed. */
    private String host(String path) {
        return jail == null ? path : jail.host(path).toString();
    }

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
        List<String> command = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL"));
        if (jail != null) {
            // as the jail's uid, as firecracker runs: the files and the tap must be that uid's to open
            command = new ArrayList<>(jail.asUser("setpriv", "--pdeathsig", "KILL"));
        }
        command.addAll(List.of("qemu-system-x86_64",
                "-M", "microvm", "-accel", "tcg,tb-size=64", "-cpu", "max", "-m", Long.toString(memoryMiB),
                "-smp", Integer.toString(vcpus), "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-serial", "stdio", "-kernel", host(boot.path("kernel_image_path").asText()),
                "-initrd", host(boot.path("initrd_path").asText()),
                "-append", boot.path("boot_args").asText() + " " + ClockHints.forTcg(),
                "-netdev", "tap,id=n0,ifname=" + network.path("host_dev_name").asText() + ",script=no,downscript=no",
                "-device", "virtio-net-device,netdev=n0,mac=" + network.path("guest_mac").asText()));
        for (int i = 0; i < drives.size(); i++) {
            JsonNode drive = drives.get(i);
            command.addAll(List.of("-drive",
                    "id=d" + i + ",file=" + host(drive.path("path_on_host").asText()) + ",format=raw,if=none"
                            + (drive.path("is_read_only").asBoolean() ? ",readonly=on" : ""),
                    "-device", "virtio-blk-device,drive=d" + i));
        }
        try {
            new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
