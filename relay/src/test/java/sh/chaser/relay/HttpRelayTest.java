package sh.chaser.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real HTTP on loopback: a client -> a relay -> a backend that records how the body it got ended.
 * The case that mattered: a client that hangs up in the middle of a chunked upload must not reach
 * the backend as a whole, shorter upload (the backend would keep a torn file). The relay here does
 * nothing else on a hang-up (the gateway also resets on its response's close; the fix must not need it).
 */
class HttpRelayTest {

    private static final String HEAD = "PUT /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String CHUNK = "5\r\nhello\r\n";

    private final Vertx vertx = Vertx.vertx();
    private final CompletableFuture<Void> bytesArrived = new CompletableFuture<>();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBodyCutOffByTheClientIsResetNotEnded() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        int relay = relay(backend(seen), HttpRelay::send);
        send(relay, HEAD + CHUNK); // and hang up
        assertThat(seen.get(10, TimeUnit.SECONDS)).startsWith("failed after 5 bytes");
    }

    @Test
    void aWholeBodyArrivesWhole() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        int relay = relay(backend(seen), HttpRelay::send);
        send(relay, HEAD + CHUNK + CHUNK + "0\r\n\r\n");
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("ended after 10 bytes");
    }

    @Test
    void controlVertxsOwnSendEndsACutOffBodyAsIfWhole() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        int relay = relay(backend(seen), (out, in) -> out.send(in));
        send(relay, HEAD + CHUNK);
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("ended after 5 bytes");
    }

    private int backend(CompletableFuture<String> seen) throws Exception {
        return listen(request -> {
            long[] size = new long[1];
            request.handler(b -> {
                size[0] += b.length();
                bytesArrived.complete(null);
            });
            request.exceptionHandler(e -> seen.complete("failed after " + size[0] + " bytes: " + e));
            request.endHandler(v -> {
                seen.complete("ended after " + size[0] + " bytes");
                request.response().end("ok");
            });
        });
    }

    private int relay(int backend, BiFunction<HttpClientRequest, HttpServerRequest, Future<HttpClientResponse>> send)
            throws Exception {
        HttpClient client = vertx.createHttpClient();
        return listen(in -> {
            in.pause();
            client.request(new RequestOptions().setMethod(in.method()).setPort(backend).setHost("127.0.0.1")
                    .setURI(in.uri())).compose(out -> send.apply(out, in))
                    .onSuccess(answer -> in.response().send(answer)).onFailure(f -> in.response().reset());
        });
    }

    private int listen(io.vertx.core.Handler<HttpServerRequest> handler) throws Exception {
        return vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private void send(int port, String raw) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (raw.endsWith("0\r\n\r\n")) {
                socket.getInputStream().read();
            } else {
                bytesArrived.get(10, TimeUnit.SECONDS); // then hang up
            }
        }
    }
}
