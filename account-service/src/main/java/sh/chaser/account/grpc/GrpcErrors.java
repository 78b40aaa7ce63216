package sh.chaser.account.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;
import sh.chaser.common.api.ServiceException;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.common.api.CatalogCode;

/** Maps failures to gRPC statuses carrying the catalogue code; no internal text leaves the service. */
final class GrpcErrors {

    static final Metadata.Key<String> CODE = Metadata.Key.of("chaser-error-code", Metadata.ASCII_STRING_MARSHALLER);
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static StatusRuntimeException toStatus(Throwable failure) {
        CatalogCode code;
        String message;
        if (failure instanceof ServiceException e) {
            code = e.code();
            message = e.getMessage();
        } else {
            LOG.error("unexpected failure", failure);
            code = ErrorCode.INTERNAL;
            message = "internal error";
        }
        Metadata trailers = new Metadata();
        trailers.put(CODE, code.code());
        return Status.fromCode(code.grpcStatus()).withDescription(message).asRuntimeException(trailers);
    }
}
