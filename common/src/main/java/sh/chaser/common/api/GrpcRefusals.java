package sh.chaser.common.api;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;

/**
 * A service's failure as a gRPC status: the catalogue's status, the code in the
 * {@code chaser-error-code} trailer, and no internal text for anything uncatalogued.
 */
public final class GrpcRefusals {

    public static final Metadata.Key<String> CODE = sh.chaser.contracts.ErrorCatalog.TRAILER;
    private static final Logger LOG = Logger.getLogger(GrpcRefusals.class);

    private GrpcRefusals() {}

    /** @param internal the service's catalogue entry for an unexpected failure */
    public static StatusRuntimeException of(Throwable failure, CatalogCode internal) {
        CatalogCode code;
        String message;
        if (failure instanceof ServiceException e) {
            code = e.code();
            message = e.getMessage();
        } else {
            LOG.error("unexpected failure", failure);
            code = internal;
            message = "internal error";
        }
        Metadata trailers = new Metadata();
        trailers.put(CODE, code.code());
        if (failure instanceof LimitExceeded limited) {
            trailers.put(sh.chaser.contracts.ErrorCatalog.LIMIT_TRAILER, limited.limit());
        }
        return Status.fromCode(code.grpcStatus()).withDescription(message).asRuntimeException(trailers);
    }
}
