package sh.chaser.contracts;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import sh.chaser.proto.events.v1.AccountLimitsChanged;
import sh.chaser.proto.events.v1.ApiKeyRevoked;
import sh.chaser.proto.events.v1.Events;
import sh.chaser.proto.events.v1.HostReported;
import sh.chaser.proto.events.v1.JobChanged;
import sh.chaser.proto.events.v1.MembershipChanged;
import sh.chaser.proto.events.v1.ServiceAccountChanged;
import sh.chaser.proto.events.v1.SessionStateChanged;
import sh.chaser.proto.events.v1.WorkspaceChanged;

/**
 * The versioned CloudEvents types and topics of the payloads in {@code chaser/events/v1/events.proto},
 * read from each message's {@code event_type} and {@code topic} options (declared there only), and
 * the one way to read an event's {@code data}: into its generated message.
 */
public final class EventTypes {

    public static final String SESSION_STATE_CHANGED = of(SessionStateChanged.getDescriptor());
    public static final String WORKSPACE_CHANGED = of(WorkspaceChanged.getDescriptor());
    public static final String API_KEY_REVOKED = of(ApiKeyRevoked.getDescriptor());
    public static final String SERVICE_ACCOUNT_CHANGED = of(ServiceAccountChanged.getDescriptor());
    public static final String MEMBERSHIP_CHANGED = of(MembershipChanged.getDescriptor());
    public static final String ACCOUNT_LIMITS_CHANGED = of(AccountLimitsChanged.getDescriptor());
    public static final String HOST_REPORTED = of(HostReported.getDescriptor());
    public static final String JOB_CHANGED = of(JobChanged.getDescriptor());

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private EventTypes() {}

    /** The CloudEvents type of a payload message. */
    public static String of(Descriptor message) {
        String type = message.getOptions().getExtension(Events.eventType);
        if (type.isEmpty()) {
            throw new IllegalStateException(message.getFullName() + " in events.proto names no event_type");
        }
        return type;
    }

    /** The topic a payload message travels on. */
    public static String topic(Descriptor message) {
        return message.getOptions().getExtension(Events.topic);
    }

    /** Every payload message of events.proto. */
    public static List<Descriptor> all() {
        return Events.getDescriptor().getMessageTypes();
    }

    /**
     * An event's {@code data} (its JSON text) as the generated message: fields a newer producer added
     * are ignored, a field of the wrong type fails.
     */
    @SuppressWarnings("unchecked")
    public static <T extends Message> T data(String json, Message.Builder builder) {
        try {
            PARSER.merge(json, builder);
            return (T) builder.build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("an event's data is not its payload: " + e.getMessage(), e);
        }
    }
}
