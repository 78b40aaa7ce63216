package sh.chaser.agent.guest;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** The guest agent refused a call: its status and error code (e.g. 404 {@code file_not_found}). */
public final class GuestException extends RuntimeException {

    private final int status;
    private final String code;

    GuestException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static GuestException of(int status, String body) {
        try {
            JsonObject error = new JsonObject(body).getJsonObject("error");
            return new GuestException(status, error.getString("code"), error.getString("message"));
        } catch (DecodeException | NullPointerException | ClassCastException e) {
            return new GuestException(status, "internal", "the guest agent answered " + status + ": " + body);
        }
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
