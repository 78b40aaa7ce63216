package sh.chaser.gateway.api;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import sh.chaser.gateway.domain.ErrorCode;

/** Turns a backend's gRPC failure into the API's envelope, keeping the backend's catalogue code. */
public final class BackendErrors {

    static final Metadata.Key<String> CODE = Metadata.Key.of("chaser-error-code", Metadata.ASCII_STRING_MARSHALLER);
    private static final Logger LOG = Logger.getLogger(BackendErrors.class);

    private BackendErrors() {
    }

    public static Response toResponse(String backend, Throwable failure, String requestId) {
        if (!(failure instanceof StatusRuntimeException e)) {
            LOG.errorf(failure, "request %s: %s call failed", requestId, backend);
            return ErrorEnvelope.response(ErrorCode.INTERNAL, "internal error", requestId);
        }
        Status.Code status = e.getStatus().getCode();
        if (status == Status.Code.UNAVAILABLE || status == Status.Code.DEADLINE_EXCEEDED) {
            LOG.warnf("request %s: %s unavailable (%s)", requestId, backend, e.getStatus());
            return ErrorEnvelope.response(ErrorCode.SERVICE_UNAVAILABLE, backend + " is unavailable, retry shortly",
                    requestId);
        }
        String code = e.getTrailers() == null ? null : e.getTrailers().get(CODE);
        ErrorCode mapped = ErrorCode.fromCode(code, fallback(status));
        if (mapped == ErrorCode.INTERNAL) {
            LOG.errorf("request %s: %s failed with %s", requestId, backend, e.getStatus());
            return ErrorEnvelope.response(mapped, "internal error", requestId);
        }
        String message = e.getStatus().getDescription();
        return ErrorEnvelope.response(mapped, message == null ? mapped.code() : message, requestId);
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
