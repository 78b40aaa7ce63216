package sh.chaser.agent.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import sh.chaser.contracts.AgentCallToken;

/** The agent-call token: what a valid one names, and each way of making one the agent must refuse. */
class AgentCallTokenTest {

    private final byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final Instant now = Instant.parse("2026-12-03T06:00:00Z");

    @Test
    void aFreshTokenNamesItsCaller() {
        assertThat(
                AgentCallToken.verify(secret, AgentCallToken.mint(secret, "session-service", now), now.plusSeconds(30)))
                .contains("session-service");
    }

    @Test
    void expiredFarFutureTamperedAndForeignTokensAreRefused() {
        String token = AgentCallToken.mint(secret, "session-service", now);
        assertThat(AgentCallToken.verify(secret, token, now.plusSeconds(61))).as("expired").isEmpty();
        String later = AgentCallToken.mint(secret, "session-service", now.plusSeconds(3600));
        assertThat(AgentCallToken.verify(secret, later, now)).as("an expiry beyond the lifetime").isEmpty();
        assertThat(AgentCallToken.verify(secret, token.replace("session-service", "workspace-service"), now))
                .as("tampered").isEmpty();
        byte[] other = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
        assertThat(AgentCallToken.verify(other, token, now)).as("another secret").isEmpty();
        assertThat(AgentCallToken.verify(secret, "act1.", now)).isEmpty();
        assertThat(AgentCallToken.verify(secret, null, now)).isEmpty();
    }
}
