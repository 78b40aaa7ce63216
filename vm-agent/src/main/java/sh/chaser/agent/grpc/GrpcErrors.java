package sh.chaser.agent.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.AgentException;

/** Maps failures to gRPC statuses carrying the catalogue code; no internal text leaves the agent. */
final class GrpcErrors {

    static final Metadata.Key<String> CODE = sh.chaser.contracts.ErrorCatalog.TRAILER;
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {}

    /** Runs a blocking call: its value, or its failure as a status with the catalogue code. */
    static <T> io.smallrye.mutiny.Uni<T> call(java.util.function.Supplier<T> action) {
        try {
            return io.smallrye.mutiny.Uni.createFrom().item(action.get());
        } catch (RuntimeException e) {
            return io.smallrye.mutiny.Uni.createFrom().failure(toStatus(e));
        }
    }

    static StatusRuntimeException toStatus(RuntimeException failure) {
        AgentError error;
        String message;
        if (failure instanceof AgentException e) {
            error = e.error();
            message = e.getMessage();
        } else {
            LOG.error("unexpected failure", failure);
            error = AgentError.INTERNAL;
            message = "internal error";
        }
        Metadata trailers = new Metadata();
        trailers.put(CODE, error.code());
        return Status.fromCode(error.grpcStatus()).withDescription(message).asRuntimeException(trailers);
    }
}
