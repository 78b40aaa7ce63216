package sh.chaser.gateway.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import sh.chaser.gateway.application.IdempotencySeal;
import sh.chaser.gateway.application.IdempotencySeal.Sealed;
import sh.chaser.gateway.application.IdempotencyStore;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.gateway.domain.Backend;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.gateway.domain.IdempotencyKeys;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.ClaimIdempotencyResponse;

/**
 * A mutation sent with an {@code Idempotency-Key}: the first request under the key (per account and
 * principal) runs and its answer is kept for 24 h; a replay with the same method, path and body gets
 * that answer again without reaching the service; the key with another request is 422. A claim held
 * by a request still running is 409; an answer of 5xx, or none, is not kept, so a retry runs again.
 */
@ApplicationScoped
public class IdempotentMutations {

    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final Logger LOG = Logger.getLogger(IdempotentMutations.class);

    @Inject
    IdempotencyStore store;
    @Inject
    IdempotencySeal seal;
    @Inject
    BackendProxy proxy;
    @Inject
    GatewayConfig config;

    /** Reads the body, then runs the request once under {@code key} or replays its first answer. */
    public void forward(RoutingContext ctx, Backend backend, String internalToken, String uri, String key,
            AuthenticateResponse principal) {
        var request = ctx.request();
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = { false };
        request.handler(chunk -> {
            if (!tooLarge[0] && body.length() + chunk.length() > IdempotencyKeys.MAX_BODY_BYTES) {
                tooLarge[0] = true;
                ErrorEnvelope.send(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "a request with an Idempotency-Key takes a body"
                        + " of at most " + IdempotencyKeys.MAX_BODY_BYTES + " bytes");
            } else if (!tooLarge[0]) {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(failure -> LOG.debugf("request %s: body cut off (%s)", RequestIds.of(ctx), failure));
        request.endHandler(v -> {
            if (!tooLarge[0]) {
                claim(ctx, new Call(backend, internalToken, uri, key, principal.getAccount().getId(),
                        principal.getPrincipalId(), body));
            }
        });
        if (request.isEnded()) {
            claim(ctx, new Call(backend, internalToken, uri, key, principal.getAccount().getId(),
                    principal.getPrincipalId(), body));
            return;
        }
        request.resume();
    }

    private record Call(Backend backend, String token, String uri, String key, String accountId,
            String principalId, Buffer body) {}

    private void claim(RoutingContext ctx, Call call) {
        String recordId = seal.recordId(call.accountId, call.principalId, call.key);
        String fingerprint = seal.fingerprint(ctx.request().method().name(), call.uri, call.body);
        long leaseMs = 2 * config.backendTimeout().toMillis() + 60_000;
        Context context = Vertx.currentContext();
        store.claim(call.accountId, recordId, fingerprint, leaseMs).subscribe().with(
                claimed -> context.runOnContext(v -> claimed(ctx, call, recordId, claimed)),
                failure -> context.runOnContext(v -> BackendErrors.send(ctx, "account-service", failure)));
    }

    private void claimed(RoutingContext ctx, Call call, String recordId, ClaimIdempotencyResponse claim) {
        switch (claim.getOutcome()) {
            case OUTCOME_CLAIMED -> run(ctx, call, recordId, claim.getClaimToken());
            case OUTCOME_REPLAY -> seal.open(call.accountId, call.principalId, call.key,
                    claim.getSealedAnswer().toByteArray()).ifPresentOrElse(answer -> replay(ctx, answer),
                            () -> ErrorEnvelope.send(ctx, ErrorCode.INTERNAL,
                                    "the answer kept for this Idempotency-Key could not be read"));
            case OUTCOME_REUSED -> ErrorEnvelope.send(ctx, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used in the last 24 h for another request (method, path or body);"
                            + " send a new key for a new request",
                    IdempotencyKeys.HEADER);
            default -> {
                ctx.response().putHeader("Retry-After", "1");
                ErrorEnvelope.send(ctx, ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
                        "a request with this Idempotency-Key is still running; retry it shortly");
            }
        }
    }

    private void run(RoutingContext ctx, Call call, String recordId, String claimToken) {
        Context context = Vertx.currentContext();
        proxy.exchange(ctx, call.backend, call.token, call.uri, call.body).onComplete(result -> {
            if (result.failed() || result.result().status() >= 500) {
                store.release(recordId, claimToken).subscribe().with(released -> {}, failure -> LOG.warnf(
                        "request %s: Idempotency-Key claim not released (%s)", RequestIds.of(ctx), failure));
                if (result.failed()) {
                    BackendProxy.unreachable(ctx, call.backend, result.cause());
                } else {
                    send(ctx, result.result());
                }
                return;
            }
            var answer = result.result();
            Sealed kept = new Sealed(answer.status(), answer.headers().get("Content-Type"),
                    answer.headers().get("Location"), answer.body());
            byte[] sealed = seal.seal(call.accountId, call.principalId, call.key, kept);
            store.complete(recordId, claimToken, answer.status(), sealed).subscribe().with(
                    applied -> context.runOnContext(v -> send(ctx, answer)),
                    failure -> context.runOnContext(v -> {
                        LOG.warnf("request %s: the answer for an Idempotency-Key was not kept (%s)",
                                RequestIds.of(ctx), failure);
                        send(ctx, answer);
                    }));
        });
    }

    private static void send(RoutingContext ctx, BackendProxy.Answer answer) {
        var response = ctx.response().setStatusCode(answer.status());
        response.headers().addAll(answer.headers());
        response.end(answer.body());
    }

    private static void replay(RoutingContext ctx, Sealed answer) {
        var response = ctx.response().setStatusCode(answer.status()).putHeader(REPLAYED_HEADER, "true");
        if (answer.contentType() != null) {
            response.putHeader("Content-Type", answer.contentType());
        }
        if (answer.location() != null) {
            response.putHeader("Location", answer.location());
        }
        response.end(answer.body());
    }
}
