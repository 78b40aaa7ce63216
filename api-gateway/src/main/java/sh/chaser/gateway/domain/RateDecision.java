package sh.chaser.gateway.domain;

/**
 * The outcome of a rate-limit check, with what the X-RateLimit headers report.
 *
 * @param scope      {@code principal}, {@code account} or {@code client}: the limit that decided
 * @param resetSeconds seconds until the bucket is full again
 * @param retryAfterSeconds when refused, seconds until one request is allowed again
 */
public record RateDecision(boolean allowed, String scope, long limit, long remaining, long resetSeconds,
        long retryAfterSeconds) {}
