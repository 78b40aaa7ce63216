package sh.chaser.gateway.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.gateway.domain.RateDecision;

/**
 * Token buckets (Bucket4j) per principal and per account for authenticated requests, and per client
 * address for open routes. Buckets live in this gateway's memory: with N gateways an account may
 * reach N times its limit, which the deployment sizes for.
 */
@ApplicationScoped
public class RateLimiter {

    private final GatewayConfig.RateLimit limits;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(1_000_000).build();

    @Inject
    public RateLimiter(GatewayConfig config) {
        this.limits = config.rateLimit();
    }

    /** The principal's limit first, then the account's; the first refusal decides. */
    public RateDecision authenticated(String principalId, String accountId) {
        RateDecision principal = take("principal", principalId, limits.principalPerMinute());
        if (!principal.allowed()) {
            return principal;
        }
        RateDecision account = take("account", accountId, limits.accountPerMinute());
        return account.allowed() && account.remaining() >= principal.remaining() ? principal : account;
    }

    public RateDecision anonymous(String clientAddress) {
        return take("client", clientAddress, limits.anonymousPerMinute());
    }

    private RateDecision take(String scope, String id, long perMinute) {
        Bucket bucket = buckets.get(scope + ":" + id, k -> Bucket.builder()
                .addLimit(
                        Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long remaining = probe.getRemainingTokens();
        long resetSeconds = (perMinute - remaining) * 60 / Math.max(1, perMinute);
        long retryAfter = probe.isConsumed()
                ? 0
                : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999) / 1_000_000_000);
        return new RateDecision(probe.isConsumed(), scope, perMinute, remaining, resetSeconds, retryAfter);
    }
}
