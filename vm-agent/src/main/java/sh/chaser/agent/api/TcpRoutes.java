package sh.chaser.agent.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.runtime.TcpTarget;
import sh.chaser.contracts.DataPlaneContract;

/**
 * A raw TCP connection to a port inside the sandbox over WebSocket ({@code tcp/<port>}, what
 * {@code ssh -L} rides on): binary frames carry the bytes both ways, each side's full queue pauses
 * the other, and either side's close closes both; a text frame {@code {"type":"eof"}} is the client's
 * end of input (the port's side is shut for writing, TCP half-close). The port is dialled before the
 * upgrade, so a closed one is answered 502 {@code port_not_listening}.
 */
@ApplicationScoped
public class TcpRoutes {

    private static final String BASE = DataPlaneContract.SESSIONS_PATH + ":sid";

    @Inject
    Vertx vertx;
    @Inject
    Sandboxes sandboxes;

    private NetClient client;

    @PostConstruct
    void init() {
        client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000).setTcpNoDelay(true));
    }

    void install(@Observes Router router) {
        router.get(BASE + "/tcp/:port").handler(this::open);
    }

    void open(RoutingContext ctx) {
        ctx.request().pause();
        int port = port(ctx.pathParam("port"));
        if (port < 1) {
            Answers.error(ctx, AgentError.INVALID_REQUEST, "port must be 1 to 65535");
            return;
        }
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
            Answers.error(ctx, AgentError.INVALID_REQUEST, "tcp/" + port + " is a WebSocket: open it with an upgrade");
            return;
        }
        Answers.blocking(ctx, () -> sandboxes.tcpTarget(CommandRoutes.sid(ctx), port), target -> dial(target)
                .onFailure(failure -> Answers.error(ctx, AgentError.PORT_NOT_LISTENING,
                        "nothing in the sandbox listens on port " + port + " (" + failure.getMessage() + ")"))
                .onSuccess(dialled -> ctx.request().toWebSocket()
                        .onFailure(failure -> dialled.socket().close())
                        .onSuccess(socket -> join(ctx, socket, dialled))));
    }

    private Future<GuestUpgrade.Dialled> dial(TcpTarget target) {
        return client.connect(target.port(), target.host()).compose(socket -> {
            if (target.upgrade() != null) {
                return GuestUpgrade.through(socket, target.upgrade());
            }
            socket.pause(); // a port that speaks first (an SSH banner) waits for the WebSocket
            return Future.succeededFuture(new GuestUpgrade.Dialled(socket, Buffer.buffer()));
        });
    }

    private void join(RoutingContext ctx, ServerWebSocket socket, GuestUpgrade.Dialled dialled) {
        NetSocket tcp = dialled.socket();
        long keepalive = vertx.setPeriodic(PtyRoutes.KEEPALIVE_MS, id -> socket.writePing(Buffer.buffer()));
        if (dialled.early().length() > 0) {
            socket.writeBinaryMessage(dialled.early());
        }
        java.util.concurrent.atomic.AtomicBoolean clientClosing = new java.util.concurrent.atomic.AtomicBoolean();
        socket.binaryMessageHandler(bytes -> {
            tcp.write(bytes);
            if (tcp.writeQueueFull() && !clientClosing.get()) {
                socket.pause();
                tcp.drainHandler(v -> socket.resume());
            }
        });
        // {"type":"eof"}: the client's end of input (TCP half-close) once what it sent before is written
        socket.textMessageHandler(text -> {
            if (text.contains("\"eof\"")) {
                tcp.write(Buffer.buffer()).onComplete(written -> shutdownOutput(tcp));
            }
        });
        tcp.handler(bytes -> {
            socket.writeBinaryMessage(bytes);
            if (socket.writeQueueFull()) {
                tcp.pause();
                socket.drainHandler(v -> tcp.resume());
            }
        });
        // each side's end reaches the other after what it sent before (a paused side's queue included)
        sh.chaser.relay.WebSocketEnd.onEnd(socket, () -> clientClosing.set(true), () -> {
            vertx.cancelTimer(keepalive);
            ActivityRoutes.end(ctx);
            tcp.end();
        });
        socket.exceptionHandler(e -> tcp.close());
        tcp.endHandler(v -> {
            if (!socket.isClosed()) {
                socket.close((short) 1000, "the port closed the connection");
            }
        });
        tcp.exceptionHandler(e -> tcp.close());
        tcp.resume();
    }

    private static void shutdownOutput(NetSocket tcp) {
        if (tcp instanceof io.vertx.core.net.impl.NetSocketInternal internal
                && internal.channelHandlerContext().channel() instanceof io.netty.channel.socket.DuplexChannel duplex) {
            duplex.shutdownOutput();
        }
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            return port >= 1 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
