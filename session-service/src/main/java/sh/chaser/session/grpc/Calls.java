package sh.chaser.session.grpc;

import io.smallrye.mutiny.Uni;
import java.util.UUID;
import java.util.function.Supplier;
import sh.chaser.common.api.GrpcRefusals;
import sh.chaser.session.domain.ErrorCode;

/** Blocking gRPC handlers: the value, or the refusal as a status with the chaser-error-code trailer. */
final class Calls {

    private Calls() {}

    static <T> Uni<T> call(Supplier<T> work) {
        try {
            return Uni.createFrom().item(work.get());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(GrpcRefusals.of(e, ErrorCode.INTERNAL));
        }
    }

    static UUID uuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_REQUEST.exception(field + " must be a UUID", field);
        }
    }
}
