package sh.chaser.contracts;

import io.grpc.Status;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import sh.chaser.proto.errors.v1.ErrorReason;
import sh.chaser.proto.errors.v1.Errors;

/**
 * The platform's error codes as {@code chaser/errors/v1/errors.proto} declares them: a code (the
 * reason's name in lower case), its HTTP and gRPC statuses, whether it is retriable, what it means.
 * Services' catalogues and the vm-agent's list reasons from here; nothing else names a status.
 */
public final class ErrorCatalog {

    /** One code of the catalogue. */
    public record Entry(ErrorReason reason, String code, int httpStatus, Status.Code grpcStatus, boolean retriable,
            String meaning) {}

    /** The gRPC trailer a service's or agent's refusal carries its code in. */
    public static final io.grpc.Metadata.Key<String> TRAILER = io.grpc.Metadata.Key.of("chaser-error-code",
            io.grpc.Metadata.ASCII_STRING_MARSHALLER);

    /** Beside a {@code limit_exceeded} code: the limit reached (as the envelope's {@code limit}). */
    public static final io.grpc.Metadata.Key<String> LIMIT_TRAILER = io.grpc.Metadata.Key.of("chaser-error-limit",
            io.grpc.Metadata.ASCII_STRING_MARSHALLER);

    private static final Map<ErrorReason, Entry> ENTRIES = Arrays.stream(ErrorReason.values())
            .filter(r -> r != ErrorReason.ERROR_REASON_UNSPECIFIED && r != ErrorReason.UNRECOGNIZED)
            .collect(Collectors.toUnmodifiableMap(Function.identity(), ErrorCatalog::read));
    private static final Map<String, Entry> BY_CODE = ENTRIES.values().stream()
            .collect(Collectors.toUnmodifiableMap(Entry::code, Function.identity()));

    private ErrorCatalog() {}

    public static Entry of(ErrorReason reason) {
        Entry entry = ENTRIES.get(reason);
        if (entry == null) {
            throw new IllegalArgumentException("not a catalogued reason: " + reason);
        }
        return entry;
    }

    /** The entry of a code as it travels (envelope, trailer, header), if it is catalogued. */
    public static Optional<Entry> byCode(String code) {
        return Optional.ofNullable(code == null ? null : BY_CODE.get(code));
    }

    /** Whether a code that travelled is this reason's (a consumer's match without a string literal). */
    public static boolean is(String code, ErrorReason reason) {
        return of(reason).code().equals(code);
    }

    /** Every entry in the order of the proto (by number). */
    public static List<Entry> all() {
        return ENTRIES.values().stream().sorted(java.util.Comparator.comparingInt(e -> e.reason().getNumber()))
                .toList();
    }

    private static Entry read(ErrorReason reason) {
        var options = reason.getValueDescriptor().getOptions();
        if (!options.hasExtension(Errors.httpStatus) || !options.hasExtension(Errors.grpcCode)) {
            throw new IllegalStateException(reason + " in errors.proto lacks http_status or grpc_code");
        }
        return new Entry(reason, reason.name().toLowerCase(Locale.ROOT), options.getExtension(Errors.httpStatus),
                Status.fromCodeValue(options.getExtension(Errors.grpcCode)).getCode(),
                options.getExtension(Errors.retriable),
                options.getExtension(Errors.meaning));
    }
}
