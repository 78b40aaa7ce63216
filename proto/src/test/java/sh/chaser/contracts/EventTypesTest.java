package sh.chaser.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.events.v1.SessionStateChanged;

/** Each payload of events.proto declares its type and topic once; data reads back into its message. */
class EventTypesTest {

    @Test
    void everyPayloadDeclaresATypeOfItsOwnAndATopic() {
        Set<String> types = new HashSet<>();
        for (var message : EventTypes.all()) {
            String type = EventTypes.of(message);
            assertThat(type).as(message.getName()).matches("sh\\.chaser\\.[a-z_.]+\\.v[0-9]+");
            assertThat(types.add(type)).as("%s is declared once", type).isTrue();
            assertThat(EventTypes.topic(message)).as(message.getName())
                    .isIn("chaser.accounts.v1", "chaser.sessions.v1", "chaser.workspaces.v1", "chaser.hosts.v1",
                            "chaser.jobs.v1");
        }
        assertThat(types).hasSize(EventTypes.all().size()).contains(EventTypes.SESSION_STATE_CHANGED,
                EventTypes.WORKSPACE_CHANGED);
    }

    @Test
    void dataAsProducersWriteItReadsBackIntoItsMessage() throws Exception {
        var sent = SessionStateChanged.newBuilder().setSessionId("s1").setStatus("running").setEphemeral(true).build();
        String json = JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence().print(sent);
        SessionStateChanged read = EventTypes.data(json.replace("{", "{\"added_later\": 1,"),
                SessionStateChanged.newBuilder());
        assertThat(read).as("a field a newer producer added is ignored").isEqualTo(sent);
        assertThatThrownBy(() -> EventTypes.data("{\"ephemeral\": \"maybe\"}", SessionStateChanged.newBuilder()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
