package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.proto.vmagent.v1.ImportPausedRequest;
import sh.chaser.proto.vmagent.v1.PausedBlock;
import sh.chaser.proto.vmagent.v1.PausedFile;
import sh.chaser.proto.vmagent.v1.PausedSandbox;
import sh.chaser.proto.vmagent.v1.ReadPausedRequest;
import sh.chaser.session.persistence.SessionEntity;

/**
 * A paused ephemeral session whose host is full resumes on another: its saved state (memory, devices,
 * disk, background commands) is copied block by block from the host that keeps it to a live host with
 * room and the same runtime, checked there against the pause's manifest, then the row names the new
 * host and the old copy goes. A workspace session stays where its disk is. Crash-safe in each step:
 * before the row changes, the copy on the new host is a VM without a live session there (the reconcile
 * loop destroys it unless the session is still resuming: a second resume finishes the move); after,
 * the old host's copy is (destroyed here, or by the loop).
 */
@ApplicationScoped
public class SessionMoves {

    private static final Logger LOG = Logger.getLogger(SessionMoves.class);

    @Inject
    Placement placement;
    @Inject
    VmAgents agents;
    @Inject
    SessionStates states;

    /** The session as the resume then finds it: moved to another host when its own is full and one has room. */
    public SessionEntity placeForResume(SessionEntity s) {
        if (s.workspaceId != null || !"resuming".equals(s.status) || placement.roomToResume(s.hostId)) {
            return s;
        }
        Optional<Placement.Host> from = placement.address(s.hostId);
        Optional<Placement.Host> to = placement.forMove(s.hostId, s.runtime);
        if (from.isEmpty() || to.isEmpty()) {
            return s; // nowhere to go: the resume asks its own host, which says it is full
        }
        long started = System.nanoTime();
        try {
            copy(s.id.toString(), from.get().address(), to.get().address());
        } catch (AgentFailure e) {
            LOG.warnf("session %s: its host %s is full and the move to %s failed (%s); it stays paused there", s.id,
                    s.hostId, to.get().id(), e.getMessage());
            return s;
        }
        var moved = states.movedTo(s.id, s.hostId, to.get().id());
        if (!moved.changed()) {
            return moved.session() == null ? s : moved.session();
        }
        LOG.infof("session %s: paused on the full host %s, moved to %s in %d ms", s.id, s.hostId, to.get().id(),
                (System.nanoTime() - started) / 1_000_000);
        try {
            agents.destroy(from.get().address(), s.id.toString());
        } catch (AgentFailure e) {
            LOG.warnf("session %s: its old copy on %s stays until the reconcile loop ends it (%s)", s.id, s.hostId,
                    e.getMessage());
        }
        return moved.session();
    }

    /** Every file of the paused VM, block by block, then the commit that checks them on the new host. */
    private void copy(String sessionId, String from, String to) {
        long asked = System.nanoTime();
        PausedBlock first = agents.readPaused(from, ReadPausedRequest.newBuilder().setSessionId(sessionId)
                .setFile(PausedFile.PAUSED_FILE_STATE).build());
        PausedSandbox sandbox = first.getSandbox();
        var begun = agents.importPaused(to, ImportPausedRequest.newBuilder().setSessionId(sessionId)
                .setBegin(sandbox).build());
        LOG.infof("session %s: described and begun in %d ms", sessionId, (System.nanoTime() - asked) / 1_000_000);
        if (begun.getState() == sh.chaser.proto.vmagent.v1.VmState.VM_STATE_PAUSED) {
            return; // an earlier move of this pause got as far as its commit
        }
        long[] sent = new long[3];
        long started = System.nanoTime();
        send(sessionId, from, to, first.toBuilder().clearSandbox().build(), PausedFile.PAUSED_FILE_STATE, "", sent);
        send(sessionId, from, to, null, PausedFile.PAUSED_FILE_MEMORY, "", sent);
        send(sessionId, from, to, null, PausedFile.PAUSED_FILE_DISK, "", sent);
        for (String name : sandbox.getCommandFilesList()) {
            send(sessionId, from, to, null, PausedFile.PAUSED_FILE_COMMAND, name, sent);
        }
        long copied = System.nanoTime();
        agents.importPaused(to, ImportPausedRequest.newBuilder().setSessionId(sessionId).setCommit(true).build());
        LOG.infof("session %s: copied %d blocks (%d MiB, holes left out) in %d ms (%d ms of it reading), checked"
                + " there in %d ms", sessionId, sent[0], sent[1] >> 20, (copied - started) / 1_000_000,
                sent[2] / 1_000_000, (System.nanoTime() - copied) / 1_000_000);
    }

    private void send(String sessionId, String from, String to, PausedBlock first, PausedFile file, String name,
            long[] sent) {
        PausedBlock block = first;
        long offset = 0;
        while (true) {
            if (block == null) {
                long reading = System.nanoTime();
                block = agents.readPaused(from, ReadPausedRequest.newBuilder().setSessionId(sessionId).setFile(file)
                        .setName(name).setOffset(offset).build());
                sent[2] += System.nanoTime() - reading;
            }
            agents.importPaused(to, ImportPausedRequest.newBuilder().setSessionId(sessionId).setBlock(block).build());
            sent[0]++;
            sent[1] += block.getData().size();
            if (block.getEof()) {
                return;
            }
            offset = block.getOffset() + block.getData().size();
            block = null;
        }
    }
}
