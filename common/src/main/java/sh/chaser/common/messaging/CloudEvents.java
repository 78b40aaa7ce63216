package sh.chaser.common.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The one shape of every event on Kafka: a CloudEvents 1.0 envelope around a JSON payload. */
public final class CloudEvents {

    private static final JsonFormat.Printer PROTO_JSON = JsonFormat.printer().preservingProtoFieldNames()
            .alwaysPrintFieldsWithNoPresence();

    private CloudEvents() {}

    /**
     * @param source the producing service's name
     * @param type versioned CloudEvents type, e.g. {@code sh.chaser.account.api_key.revoked.v1}
     * @param subject the aggregate id, also the Kafka key
     */
    public static Map<String, Object> envelope(UUID id, String source, String type, String subject,
            OffsetDateTime time, Object data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id.toString());
        event.put("source", "/" + source);
        event.put("type", type);
        event.put("subject", subject);
        event.put("time", DateTimeFormatter.ISO_INSTANT.format(time));
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return event;
    }

    /** A payload message of events.proto as its JSON data (proto field names, every field present). */
    public static String json(Message payload) {
        try {
            return PROTO_JSON.print(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
