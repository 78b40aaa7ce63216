package sh.chaser.gateway.api;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;
import sh.chaser.gateway.domain.ErrorCode;

/** Turns a backend's gRPC failure into the API's envelope, keeping the backend's catalogue code. */
final class BackendErrors {

    static final Metadata.Key<String> CODE = sh.chaser.contracts.ErrorCatalog.TRAILER;
    private static final Logger LOG = Logger.getLogger(BackendErrors.class);

    private BackendErrors() {}

    /** @return the code sent */
    static ErrorCode send(RoutingContext ctx, String backend, Throwable failure) {
        String requestId = RequestIds.of(ctx);
        if (!(failure instanceof StatusRuntimeException e)) {
            LOG.errorf(failure, "request %s: %s call failed", requestId, backend);
            ErrorEnvelope.send(ctx, ErrorCode.INTERNAL, "internal error");
            return ErrorCode.INTERNAL;
        }
        Status.Code status = e.getStatus().getCode();
        if (status == Status.Code.UNAVAILABLE || status == Status.Code.DEADLINE_EXCEEDED) {
            LOG.warnf("request %s: %s unavailable (%s)", requestId, backend, e.getStatus().getCode());
            ErrorEnvelope.send(ctx, ErrorCode.SERVICE_UNAVAILABLE, backend + " is unavailable, retry shortly");
            return ErrorCode.SERVICE_UNAVAILABLE;
        }
        String code = e.getTrailers() == null ? null : e.getTrailers().get(CODE);
        ErrorCode mapped = ErrorCode.fromCode(code, fallback(status));
        if (mapped == ErrorCode.INTERNAL) {
            LOG.errorf("request %s: %s failed with %s", requestId, backend, e.getStatus());
            ErrorEnvelope.send(ctx, mapped, "internal error");
            return mapped;
        }
        String message = e.getStatus().getDescription();
        ErrorEnvelope.send(ctx, mapped, message == null ? mapped.code() : message);
        return mapped;
    }

    private static ErrorCode fallback(Status.Code status) {
        return switch (status) {
            case UNAUTHENTICATED -> ErrorCode.UNAUTHORIZED;
            case PERMISSION_DENIED -> ErrorCode.FORBIDDEN;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case INVALID_ARGUMENT -> ErrorCode.INVALID_REQUEST;
            default -> ErrorCode.INTERNAL;
        };
    }
}
