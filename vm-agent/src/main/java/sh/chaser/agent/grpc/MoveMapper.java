package sh.chaser.agent.grpc;

import com.google.protobuf.ByteString;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.domain.MovedSandbox;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.domain.SavedBlock;
import sh.chaser.agent.domain.SavedFile;
import sh.chaser.agent.image.ImageStore;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.PausedBlock;
import sh.chaser.proto.vmagent.v1.PausedFile;
import sh.chaser.proto.vmagent.v1.PausedSandbox;

/** A paused sandbox's move between the contract's messages and the agent's own types. */
final class MoveMapper {

    private MoveMapper() {}

    static SandboxSpec spec(BootRequest request) {
        var limits = request.getLimits();
        return new SandboxSpec(request.getSessionId(), request.getSessionType(),
                request.getImage().isEmpty() ? ImageStore.BASE : request.getImage(), request.getWorkspaceId(),
                new Limits(limits.getVcpus(), limits.getMemoryBytes(), limits.getMaxProcesses()), request.getEnvMap());
    }

    static PausedSandbox toProto(MovedSandbox moved) {
        SandboxSpec spec = moved.spec();
        var boot = BootRequest.newBuilder().setSessionId(spec.sessionId()).setSessionType(spec.sessionType())
                .setImage(spec.image()).setWorkspaceId(spec.workspaceId()).putAllEnv(spec.env())
                .setRuntime(moved.runtime())
                .setLimits(sh.chaser.proto.vmagent.v1.Limits.newBuilder().setVcpus(spec.limits().vcpus())
                        .setMemoryBytes(spec.limits().memoryBytes()).setMaxProcesses(spec.limits().maxProcesses()));
        return PausedSandbox.newBuilder().setBoot(boot).setManifest(moved.manifest())
                .putAllResources(moved.resources()).addAllCommandFiles(moved.commandFiles()).build();
    }

    static MovedSandbox fromProto(PausedSandbox sandbox) {
        return new MovedSandbox(spec(sandbox.getBoot()), sandbox.getBoot().getRuntime(), sandbox.getManifest(),
                sandbox.getResourcesMap(), sandbox.getCommandFilesList());
    }

    static SavedFile file(PausedFile file) {
        return switch (file) {
            case PAUSED_FILE_STATE -> SavedFile.STATE;
            case PAUSED_FILE_MEMORY -> SavedFile.MEMORY;
            case PAUSED_FILE_DISK -> SavedFile.DISK;
            case PAUSED_FILE_COMMAND -> SavedFile.COMMAND;
            default -> throw AgentError.INVALID_REQUEST.exception("file must be state, memory, disk or command");
        };
    }

    static PausedBlock toProto(SavedBlock block) {
        return PausedBlock.newBuilder().setFile(switch (block.file()) {
            case STATE -> PausedFile.PAUSED_FILE_STATE;
            case MEMORY -> PausedFile.PAUSED_FILE_MEMORY;
            case DISK -> PausedFile.PAUSED_FILE_DISK;
            case COMMAND -> PausedFile.PAUSED_FILE_COMMAND;
        }).setName(block.name()).setOffset(block.offset()).setData(ByteString.copyFrom(block.data()))
                .setSize(block.size()).setEof(block.eof()).build();
    }

    static SavedBlock fromProto(PausedBlock block) {
        if (block.getData().size() > sh.chaser.agent.host.SparseBlocks.BLOCK) {
            throw AgentError.INVALID_REQUEST.exception("a block holds at most 1 MiB");
        }
        return new SavedBlock(file(block.getFile()), block.getName(), block.getOffset(), block.getData().toByteArray(),
                block.getSize(), block.getEof());
    }
}
