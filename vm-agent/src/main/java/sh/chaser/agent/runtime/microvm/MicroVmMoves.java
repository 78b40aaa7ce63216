package sh.chaser.agent.runtime.microvm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sh.chaser.agent.domain.MovedSandbox;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.domain.SavedBlock;
import sh.chaser.agent.domain.SavedFile;
import sh.chaser.agent.image.ImageStore;
import sh.chaser.agent.runtime.namespace.SandboxNetwork;

/**
 * A paused ephemeral microVM moving between hosts, as a runtime does it ({@link PausedMoves} keeps the
 * files): described and read where it was paused; begun, written and committed where it is to resume,
 * where it gets a network slot of that host and, at its resume, the identity that goes with it.
 */
public final class MicroVmMoves implements sh.chaser.agent.runtime.PausedMover {

    private final PausedMoves moves;
    private final SandboxNetwork network;
    private final String owner;
    private final ImageStore images;
    private final GuestVmImage guestVm;
    private final ErofsImages erofs;
    private final BrowserLayer browserLayer;
    private final String controlPort;

    MicroVmMoves(PausedMoves moves, SandboxNetwork network, String owner, ImageStore images, GuestVmImage guestVm,
            ErofsImages erofs, BrowserLayer browserLayer, String controlPort) {
        this.moves = moves;
        this.network = network;
        this.owner = owner;
        this.images = images;
        this.guestVm = guestVm;
        this.erofs = erofs;
        this.browserLayer = browserLayer;
        this.controlPort = controlPort;
    }

    @Override
    public MovedSandbox describe(SandboxRecord record) {
        return moves.describe(record, vmFiles(record.spec()), record.handle().resource(controlPort));
    }

    @Override
    public SavedBlock read(SandboxRecord record, SavedFile file, long offset) {
        return moves.read(record, file, offset);
    }

    @Override
    public boolean holds(SandboxRecord record, MovedSandbox moved) {
        return moves.holds(record.sessionId(), moved.manifest());
    }

    @Override
    public void begin(MovedSandbox moved) {
        moves.begin(moved, vmFiles(moved.spec()));
    }

    @Override
    public void write(SandboxSpec spec, SavedBlock block) {
        moves.write(spec, block);
    }

    /** Seals the moved copy and gives it a slot of this host; its guest hears its identity at the resume. */
    @Override
    public RuntimeHandle commit(MovedSandbox moved) {
        moves.commit(moved);
        String sessionId = moved.spec().sessionId();
        RuntimeHandle handle = RuntimeHandle.NONE.with("net_slot", Integer.toString(network.claim(owner, sessionId)))
                .with("cgroup", VmLeftovers.group("chaser/" + owner, sessionId)).with(controlPort, "true")
                .with(PausedMoves.NEW_IDENTITY, "true");
        String chromium = moved.resources().get("browser_command");
        return chromium == null ? handle : handle.with("browser_command", chromium);
    }

    @Override
    public void abandon(String sessionId) {
        moves.abandon(sessionId);
    }

    private String vmFiles(SandboxSpec spec) {
        var image = images.resolve(spec.image());
        List<Path> files = new ArrayList<>(List.of(guestVm.ensure().kernel(), erofs.of(image)));
        if ("browser".equals(spec.sessionType())) {
            files.add(browserLayer.of(image.rootfs()));
        }
        return moves.fingerprint(files);
    }
}
