package sh.chaser.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import sh.chaser.gateway.domain.ErrorCode;

/** {@code {"error": {"code", "message", "request_id", "field"?}}}, the one error shape of the API. */
public record ErrorEnvelope(Body error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String code, String message, @JsonProperty("request_id") String requestId, String field) {
    }

    public static Response response(ErrorCode code, String message, String requestId) {
        return Response.status(code.httpStatus())
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorEnvelope(new Body(code.code(), message, requestId, null)))
                .build();
    }

    /** The same body for handlers outside JAX-RS (plain Vert.x routes). */
    public static String json(ErrorCode code, String message, String requestId) {
        return new JsonObject().put("error", new JsonObject().put("code", code.code()).put("message", message)
                .put("request_id", requestId)).encode();
    }
}
