package sh.chaser.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real WebSockets on loopback. The case that mattered: a host side that prints and closes before
 * the client's side is joined (a command in exec mode that ends at once) loses nothing.
 */
class WebSocketRelayTest {

    private static final Duration KEEPALIVE = Duration.ofSeconds(30);

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void whatAPausedHostSentAndItsCloseReachTheClientOnceJoined() throws Exception {
        Promise<Void> hostDone = Promise.promise();
        int hostPort = server(socket -> {
            socket.writeTextMessage("hello").compose(v -> socket.close((short) 4000, "done"))
                    .onComplete(hostDone);
        });
        HeldWebSocket host = connect(hostPort).map(HeldWebSocket::hold).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        // the host has sent its message and its close before the relay is joined
        hostDone.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        List<String> received = new CopyOnWriteArrayList<>();
        Promise<Short> clientClosed = Promise.promise();
        int relayPort = server(downstream -> WebSocketRelay.join(vertx, downstream, host, KEEPALIVE, () -> {}));
        connect(relayPort).onSuccess(client -> {
            client.textMessageHandler(received::add);
            client.closeHandler(v -> clientClosed.tryComplete(client.closeStatusCode()));
        });

        Short status = clientClosed.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(received).containsExactly("hello");
        assertThat(status).isEqualTo((short) 4000);
    }

    /**
     * A host that sends 8 MiB and closes to a client that reads slowly: the relay pauses the host, so
     * its close arrives with messages still queued. Every byte reaches the client before the close (the
     * close handler used to close the client at once, and the tail was lost).
     */
    @Test
    void whatAPausedHostSentBeforeItsCloseAllReachesASlowClient() throws Exception {
        int messages = 8192;
        int size = 1024; // small: the host's last read holds many messages and the close
        Promise<Void> hostDone = Promise.promise();
        int hostPort = server(socket -> {
            Future<Void> last = Future.succeededFuture();
            for (int i = 0; i < messages; i++) {
                last = socket.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(new byte[size]));
            }
            last.compose(v -> socket.close((short) 4000, "done")).onComplete(hostDone);
        });
        int relayPort = relayTo(hostPort);
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        Promise<Long> clientClosed = Promise.promise();
        WebSocket client = connect(relayPort).onSuccess(socket -> {
            // a slow reader: a pause after every message, so the relay's side towards it is often full
            socket.binaryMessageHandler(bytes -> {
                if (received.addAndGet(bytes.length()) % (64 * size) == 0) {
                    socket.pause();
                    vertx.setTimer(1, t -> socket.resume());
                }
            });
            // its end (not its close, which comes as the frame arrives): after every message before it
            socket.endHandler(v -> clientClosed.tryComplete(received.get()));
        }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        hostDone.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(clientClosed.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
                .isEqualTo((long) messages * size);
        assertThat(client.closeStatusCode()).isEqualTo((short) 4000);
    }

    @Test
    void messagesGoBothWays() throws Exception {
        int hostPort = server(socket -> socket.textMessageHandler(text -> socket.writeTextMessage("echo " + text)));
        int relayPort = relayTo(hostPort);
        Promise<String> answer = Promise.promise();
        connect(relayPort).onSuccess(client -> {
            client.textMessageHandler(answer::tryComplete);
            client.writeTextMessage("ping");
        });

        assertThat(answer.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo("echo ping");
    }

    /** A relay as the gateway's: the host's side first, then the client's request is upgraded and joined. */
    private int relayTo(int hostPort) throws Exception {
        HttpServer relay = vertx.createHttpServer().requestHandler(request -> {
            request.pause();
            connect(hostPort).map(HeldWebSocket::hold).onSuccess(host -> request.toWebSocket()
                    .onSuccess(client -> WebSocketRelay.join(vertx, client, host, KEEPALIVE, () -> {})));
        });
        return relay.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    private int server(Handler<ServerWebSocket> handler) throws Exception {
        HttpServer server = vertx.createHttpServer().webSocketHandler(handler);
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    private Future<WebSocket> connect(int port) {
        return vertx.createHttpClient()
                .webSocket(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/"));
    }
}
