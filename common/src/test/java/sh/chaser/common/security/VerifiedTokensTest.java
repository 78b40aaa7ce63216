package sh.chaser.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    /** Accepts "good-<exp>" tokens (digits only), refuses every other string, and records what it was asked. */
    static final class RecordingParser extends DefaultJWTParser {

        final List<String> asked = new ArrayList<>();

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            asked.add(token);
            if (!token.matches("good-[0-9]+")) {
                throw new ParseException("bad signature");
            }
            return token(Long.parseLong(token.substring(5)));
        }
    }

    final RecordingParser delegate = new RecordingParser();
    final AtomicLong now = new AtomicLong(1_000);
    final VerifiedTokens tokens = new VerifiedTokens(delegate, now::get);

    @Test
    void aVerifiedTokenIsNotVerifiedAgainUntilItExpires() throws Exception {
        JsonWebToken first = tokens.parse("good-1060");
        assertThat(tokens.parse("good-1060")).isSameAs(first);
        assertThat(delegate.asked).containsExactly("good-1060");

        now.set(1_060);
        tokens.parse("good-1060");
        assertThat(delegate.asked).as("an expired token goes back to the real parser")
                .containsExactly("good-1060", "good-1060");
    }

    @Test
    void aRefusedOrAlteredTokenIsAlwaysVerified() throws Exception {
        tokens.parse("good-1060");
        assertThatThrownBy(() -> tokens.parse("good-1060x")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> tokens.parse("forged")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> tokens.parse("forged")).isInstanceOf(ParseException.class);
        assertThat(delegate.asked).containsExactly("good-1060", "good-1060x", "forged", "forged");
    }

    @Test
    void aTokenAlreadyExpiredWhenVerifiedIsNotRemembered() throws Exception {
        tokens.parse("good-999");
        tokens.parse("good-999");
        assertThat(delegate.asked).containsExactly("good-999", "good-999");
    }

    static JsonWebToken token(long exp) {
        return new JsonWebToken() {

            @Override
            public String getName() {
                return "test";
            }

            @Override
            public Set<String> getClaimNames() {
                return Set.of("exp");
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claimName) {
                return (T) Map.of("exp", exp).get(claimName);
            }
        };
    }
}
