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
    private sh.chaser.relay.LoopLocalClients clients;

    @PostConstruct
    void init() {
        clients = new sh.chaser.relay.LoopLocalClients(vertx,
                new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                        .setConnectTimeout(5_000).setMaxChunkSize(256 * 1024).setTcpNoDelay(true));
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
        return clients.current().request(options).compose(request -> sh.chaser.relay.HttpRelay.stream(body, request))
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
        String body = new JsonObject().put("command", command).put("cwd", cwd == null ? "" : cwd)
                .put("env", env == null ? java.util.Map.of() : env).put("timeout_ms", timeoutMs)
                .put("max_output_bytes", maxOutput).encode();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(guest.host())
                .setPort(guest.port()).setURI("/v1/exec").setIdleTimeout(timeoutMs + 10_000)
                .putHeader("Authorization", "Bearer " + guest.token())
                .putHeader("Content-Type", "application/json");
        return clients.current().request(options).compose(request -> request.send(body))
                .compose(answer -> answer.body().map(content -> {
                    if (answer.statusCode() >= 400) {
                        throw GuestException.of(answer.statusCode(), content.toString());
                    }
                    JsonObject ran = content.toJsonObject();
                    return new GuestClient.ExecResult(ran.getInteger("exit_code"),
                            java.util.Base64.getDecoder().decode(ran.getString("output")),
                            ran.getBoolean("output_truncated", false), ran.getBoolean("timed_out", false));
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
        return clients.current().request(options).compose(HttpClientRequest::send).compose(answer -> {
            if (answer.statusCode() < 400) {
                answer.pause();
                return Future.succeededFuture(answer);
            }
            return answer.body().compose(content -> Future.failedFuture(
                    GuestException.of(answer.statusCode(), content.toString())));
        });
    }
}
