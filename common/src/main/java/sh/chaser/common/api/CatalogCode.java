package sh.chaser.common.api;

import io.grpc.Status;

/** One entry of a service's error catalogue: stable code, HTTP status, gRPC status. */
public interface CatalogCode {

    String code();

    int httpStatus();

    Status.Code grpcStatus();
}
