package sh.chaser.common.api;

import io.grpc.Status;

/** One entry of a service's error catalogue: stable code, HTTP status, gRPC status. */
public interface CatalogCode {

    String code();

    int httpStatus();

    Status.Code grpcStatus();

    /** A refusal with this code; {@code message} is shown to the caller. */
    default ServiceException exception(String message) {
        return new ServiceException(this, message);
    }

    /** A refusal with this code naming the request field at fault. */
    default ServiceException exception(String message, String field) {
        return new ServiceException(this, message, field);
    }
}
