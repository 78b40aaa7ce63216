package sh.chaser.agent.runtime.microvm;

import java.nio.file.Path;
import sh.chaser.agent.domain.Limits;

/**
 * What a VMM boots, in the guest's order of disks: the image's root (vda, read-only erofs), the
 * workspace's ext4 image (vdb), the guest agent's token disk (vdc, read-only), for a browser a
 * read-only layer over the root (vdd; null otherwise). {@code bootArgs} is what the guest's init
 * reads ({@link GuestBootArgs}); {@code slot} is the VM's network slot, {@code tap} its host end,
 * {@code user} the uid and gid its VMM runs as (and the tap's owner); each VMM adds its console and clock arguments in front.
 * {@code memory} is the file the guest's RAM lives in where the VMM maps it from a file (QEMU): a
 * pause keeps it as it is and saves only the devices' state beside it. {@code controlPort}: the VM has
 * the guest agent's control port (a fork's new identity comes on it); false only for a VM started by
 * an agent from before it, whose saved devices have none (a saved state loads into the same devices).
 */
public record VmParts(String sessionId, Path dir, GuestVmImage.Files guest, Path root, Path workspace, Path config,
        Path layer,
        int slot, long user, String tap, String mac, String bootArgs, Limits limits, Path memory,
        boolean controlPort) {

    public Path console() {
        return dir.resolve("console.log");
    }
}
