package sh.chaser.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code {"error": {"code", "message", "request_id", "field"?, "limit"?}}}: the API's one error shape. */
public record ErrorEnvelope(Body error) {

    public static final String REQUEST_ID = "X-Request-Id";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String code, String message, String requestId, String field, String limit) {}

    public static Response response(int status, String code, String message, String requestId, String field) {
        return response(status, code, message, requestId, field, null);
    }

    /** @param limit with {@code limit_exceeded}: the limit reached */
    public static Response response(int status, String code, String message, String requestId, String field,
            String limit) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .header(REQUEST_ID, requestId)
                .entity(new ErrorEnvelope(new Body(code, message, requestId, field, limit)))
                .build();
    }
}
