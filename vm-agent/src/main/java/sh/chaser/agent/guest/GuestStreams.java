package sh.chaser.agent.guest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Calls into a guest agent whose bodies are streamed rather than held, on the event loop: an upload
 * goes from the caller's request into the guest as it arrives (the guest hashes it, caps it and
 * renames it into place only once whole), a download from the guest's answer to the caller's, on
 * pooled keep-alive connections.
 */
@ApplicationScoped
public class GuestStreams {

    @Inject
    Vertx vertx;
    /**
     * Connections per guest (its address and token), never shared between two: a sandbox's address
     * is given to the next one on its network slot, and a kept-alive connection to a microVM that was
     * killed got no FIN, so the next guest there would answer its reuse with a reset. A new guest has
     * a new token, so a new pool; a pool unused for 5 minutes is closed.
     */
    private final java.util.Map<GuestClient.Address, Pool> pools = new java.util.concurrent.ConcurrentHashMap<>();
    private HttpClientOptions options;

    private record Pool(sh.chaser.relay.LoopLocalClients clients, java.util.concurrent.atomic.AtomicLong usedAt) {}

    @PostConstruct
    void init() {
        options = new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64).setConnectTimeout(5_000)
                .setMaxChunkSize(256 * 1024).setTcpNoDelay(true);
        vertx.setPeriodic(IDLE_MS, timer -> closeIdle());
    }

    private static final long IDLE_MS = 300_000;

    private io.vertx.core.http.HttpClient client(GuestClient.Address guest) {
        Pool pool = pools.computeIfAbsent(guest, g -> new Pool(new sh.chaser.relay.LoopLocalClients(vertx, options),
                new java.util.concurrent.atomic.AtomicLong()));
        pool.usedAt().set(System.nanoTime());
        return pool.clients().current();
    }

    private void closeIdle() {
        long now = System.nanoTime();
        pools.entrySet().removeIf(e -> {
            boolean idle = now - e.getValue().usedAt().get() > IDLE_MS * 1_000_000;
            if (idle) {
                e.getValue().clients().close();
            }
            return idle;
        });
    }

    /**
     * Writes {@code body} to {@code path} in the guest (a body cut off before its end resets the call,
     * so the guest keeps nothing); the guest's answer {path, size, sha256}, or its
     * refusal as a {@link GuestException}.
     *
     * @param length the body's length when known (else it is sent chunked)
     */
    public Future<JsonObject> put(GuestClient.Address guest, String path, ReadStream<Buffer> body, String length) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT).setHost(guest.host())
                .setPort(guest.port()).setURI("/v1/files?path=" + GuestClient.encode(path)).setIdleTimeout(60_000)
                .putHeader("Authorization", "Bearer " + guest.token());
        if (length != null) {
            options.putHeader("Content-Length", length);
        }
        return client(guest).request(options).compose(request -> sh.chaser.relay.HttpRelay.stream(body, request))
                .compose(answer -> answer.body().map(content -> {
                    if (answer.statusCode() >= 400) {
                        throw GuestException.of(answer.statusCode(), content.toString());
                    }
                    return content.toJsonObject();
                }));
    }

    /**
     * Runs one command to its end in the guest, on the event loop (no thread waits for it): its exit
     * code and the first {@code maxOutput} bytes of its output, or the guest's refusal as a
     * {@link GuestException}.
     */
    public Future<GuestClient.ExecResult> exec(GuestClient.Address guest, String command, String cwd,
            java.util.Map<String, String> env, long timeoutMs, int maxOutput) {
        String body = GuestClient.execBody(command, cwd, env, timeoutMs, maxOutput);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(guest.host())
                .setPort(guest.port()).setURI("/v1/exec").setIdleTimeout(timeoutMs + 10_000)
                .putHeader("Authorization", "Bearer " + guest.token())
                .putHeader("Content-Type", "application/json");
        return client(guest).request(options).compose(request -> request.send(body))
                .compose(answer -> answer.body().map(content -> {
                    if (answer.statusCode() >= 400) {
                        throw GuestException.of(answer.statusCode(), content.toString());
                    }
                    return GuestClient.execResult(content.toJsonObject());
                }));
    }

    /**
     * Opens {@code path} in the guest for reading: its answer, paused, with {@code X-Chaser-Path} (links
     * resolved) and {@code Content-Length}, or the guest's refusal as a {@link GuestException}.
     */
    public Future<HttpClientResponse> get(GuestClient.Address guest, String path) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(guest.host())
                .setPort(guest.port()).setURI("/v1/files?path=" + GuestClient.encode(path)).setIdleTimeout(60_000)
                .putHeader("Authorization", "Bearer " + guest.token());
        return client(guest).request(options).compose(HttpClientRequest::send).compose(answer -> {
            if (answer.statusCode() < 400) {
                answer.pause();
                return Future.succeededFuture(answer);
            }
            return answer.body().compose(content -> Future.failedFuture(
                    GuestException.of(answer.statusCode(), content.toString())));
        });
    }
}
