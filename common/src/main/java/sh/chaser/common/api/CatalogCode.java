package sh.chaser.common.api;

import io.grpc.Status;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.proto.errors.v1.ErrorReason;

/**
 * One entry of a service's error catalogue: a reason of {@code chaser/errors/v1/errors.proto},
 * whose code, HTTP status, gRPC status and retriability are declared there and nowhere else.
 */
public interface CatalogCode {

    ErrorReason reason();

    default String code() {
        return ErrorCatalog.of(reason()).code();
    }

    default int httpStatus() {
        return ErrorCatalog.of(reason()).httpStatus();
    }

    default Status.Code grpcStatus() {
        return ErrorCatalog.of(reason()).grpcStatus();
    }

    default boolean retriable() {
        return ErrorCatalog.of(reason()).retriable();
    }

    /** A refusal with this code; {@code message} is shown to the caller. */
    default ServiceException exception(String message) {
        return new ServiceException(this, message);
    }

    /** A refusal with this code naming the request field at fault. */
    default ServiceException exception(String message, String field) {
        return new ServiceException(this, message, field);
    }
}
