package sh.chaser.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.errors.v1.ErrorReason;

/**
 * The catalogue declared in errors.proto is whole (every reason has its statuses, codes are unique
 * snake_case) and docs/errors.md is what it says. After changing errors.proto, rewrite the page with
 * {@code ./mvnw -pl proto test -Dtest=ErrorCatalogTest -Dchaser.errors.write=true}.
 */
class ErrorCatalogTest {

    private static final Path PAGE = Path.of("../docs/errors.md");

    @Test
    void everyReasonHasItsStatusesAndACodeOfItsOwn() {
        Set<String> codes = new HashSet<>();
        for (ErrorReason reason : ErrorReason.values()) {
            if (reason == ErrorReason.ERROR_REASON_UNSPECIFIED || reason == ErrorReason.UNRECOGNIZED) {
                continue;
            }
            var entry = ErrorCatalog.of(reason);
            assertThat(entry.code()).matches("[a-z]+(_[a-z]+)*");
            assertThat(codes.add(entry.code())).as("%s is declared once", entry.code()).isTrue();
            assertThat(entry.httpStatus()).as(entry.code()).isBetween(400, 599);
            assertThat(entry.grpcStatus()).as(entry.code()).isNotEqualTo(Status.Code.OK);
            assertThat(entry.meaning()).as(entry.code()).isNotBlank();
        }
        assertThat(ErrorCatalog.byCode("invalid_request")).map(ErrorCatalog.Entry::httpStatus).contains(400);
        assertThat(ErrorCatalog.byCode("invalid_argument")).as("the agent's old code is gone").isEmpty();
        assertThat(ErrorCatalog.is("git_unreachable", ErrorReason.GIT_UNREACHABLE)).isTrue();
    }

    @Test
    void theErrorsPageIsTheCatalogue() throws IOException {
        String expected = page();
        if (Boolean.getBoolean("chaser.errors.write")) {
            Files.writeString(PAGE, expected);
        }
        assertThat(Files.exists(PAGE) ? Files.readString(PAGE) : "")
                .as("docs/errors.md is generated from errors.proto: run ./mvnw -pl proto test -Dtest=ErrorCatalogTest"
                        + " -Dchaser.errors.write=true")
                .isEqualTo(expected);
    }

    private static String page() {
        StringBuilder page = new StringBuilder("""
                # Error codes

                <!-- generated from proto/.../chaser/errors/v1/errors.proto by ErrorCatalogTest; do not edit -->

                Every error answer carries one of these codes: in the API's envelope
                (`{"error": {"code", "message", "request_id", "field"?, "limit"?}}`), in the
                `chaser-error-code` trailer between services, and in `X-Chaser-Error-Code` from a vm-agent.
                A code means the same wherever it appears, with the same HTTP and gRPC status. *Retriable*:
                the same request may succeed later unchanged (after `Retry-After` where one is given).

                | code | HTTP | gRPC | retriable | meaning |
                |---|---|---|---|---|
                """);
        for (var entry : ErrorCatalog.all()) {
            page.append("| `").append(entry.code()).append("` | ").append(entry.httpStatus()).append(" | ")
                    .append(entry.grpcStatus().name()).append(" | ").append(entry.retriable() ? "yes" : "no")
                    .append(" | ")
                    .append(entry.meaning()).append(" |\n");
        }
        return page.toString();
    }
}
