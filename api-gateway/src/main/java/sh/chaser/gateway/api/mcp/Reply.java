package sh.chaser.gateway.api.mcp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** An answer of the public API: its status and body, and the envelope's code when it refused. */
record Reply(int status, Buffer body) {

    boolean ok() {
        return status >= 200 && status < 300;
    }

    JsonObject json() {
        return body == null || body.length() == 0 ? new JsonObject() : new JsonObject(body);
    }

    /** The stable error code of a refusal ({@code http_<status>} for a body not in the envelope). */
    String code() {
        JsonObject error = error();
        return error == null ? "http_" + status : error.getString("code", "http_" + status);
    }

    String message() {
        JsonObject error = error();
        return error == null ? "the API answered " + status : error.getString("message", "");
    }

    private JsonObject error() {
        try {
            return json().getJsonObject("error");
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }
}
