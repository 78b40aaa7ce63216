package sh.chaser.account.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which public event a session's status change is: a fork's child running is session.forked. */
class WebhookEventTypesTest {

    @Test
    void aForksChildRunningIsSessionForkedAndAnyOtherRunningIsWhatItWas() {
        String parent = "7d1c0e9a-7f1e-4c38-9d7e-3f0a5c2b1e11";
        assertEquals("session.forked", WebhookEventTypes.ofSessionStatus("running", "creating", parent));
        assertEquals("session.running", WebhookEventTypes.ofSessionStatus("running", "creating", ""));
        assertEquals("session.created", WebhookEventTypes.ofSessionStatus("creating", "", parent));
        assertEquals("session.resumed", WebhookEventTypes.ofSessionStatus("running", "resuming", parent),
                "a fork paused and resumed later");
        assertEquals(java.util.List.of("session.forked"),
                WebhookEventTypes.validate(java.util.List.of("session.forked")));
    }
}
