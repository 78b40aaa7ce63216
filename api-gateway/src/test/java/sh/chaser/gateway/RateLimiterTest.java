package sh.chaser.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import sh.chaser.gateway.application.RateLimiter;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.gateway.domain.RateDecision;

class RateLimiterTest {

    private static RateLimiter limiter(long principal, long account) {
        GatewayConfig.RateLimit limits = new GatewayConfig.RateLimit() {

            public long principalPerMinute() {
                return principal;
            }

            public long accountPerMinute() {
                return account;
            }

            public long anonymousPerMinute() {
                return 2;
            }
        };
        return new RateLimiter(new GatewayConfig() {

            public Service account() {
                return null;
            }

            public Service workspace() {
                return null;
            }

            public Service session() {
                return null;
            }

            public Duration authCacheTtl() {
                return Duration.ofSeconds(5);
            }

            public Duration internalTokenTtl() {
                return Duration.ofSeconds(60);
            }

            public Duration backendTimeout() {
                return Duration.ofSeconds(60);
            }

            public RateLimit rateLimit() {
                return limits;
            }

            public DataPlane dataPlane() {
                return null;
            }

            public Ssh ssh() {
                return null;
            }
        });
    }

    @Test
    void aPrincipalOverItsLimitIsRefusedWithARetryTime() {
        RateLimiter limiter = limiter(3, 100);
        for (int i = 3; i > 0; i--) {
            RateDecision d = limiter.authenticated("alice", "acme");
            assertTrue(d.allowed());
            assertEquals(i - 1, d.remaining());
        }
        RateDecision refused = limiter.authenticated("alice", "acme");
        assertFalse(refused.allowed());
        assertEquals("principal", refused.scope());
        assertEquals(3, refused.limit());
        assertTrue(refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= 20,
                "" + refused.retryAfterSeconds());
        assertTrue(limiter.authenticated("bob", "acme").allowed(), "another principal has its own bucket");
    }

    @Test
    void principalsOfOneAccountShareItsLimit() {
        RateLimiter limiter = limiter(100, 4);
        assertTrue(limiter.authenticated("alice", "acme").allowed());
        assertTrue(limiter.authenticated("alice", "acme").allowed());
        assertTrue(limiter.authenticated("bob", "acme").allowed());
        RateDecision last = limiter.authenticated("bob", "acme");
        assertTrue(last.allowed());
        assertEquals("account", last.scope(), "the tighter limit is the one reported");
        RateDecision refused = limiter.authenticated("carol", "acme");
        assertFalse(refused.allowed());
        assertEquals("account", refused.scope());
        assertTrue(limiter.authenticated("dave", "other").allowed());
    }
}
