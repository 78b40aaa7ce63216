package sh.chaser.agent.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.guest.GuestErrors;
import sh.chaser.agent.guest.GuestTerminal;
import sh.chaser.agent.pty.PtyMode;

/**
 * A terminal over WebSocket: binary frames carry the terminal's bytes both ways, text frames JSON
 * control ({@code resize}); the agent sends {@code {"type":"exit","exit_code":N}} and closes when
 * the command ends, and pings every 20 s so an idle terminal is not cut off by proxies. Its first
 * text frame is {@code {"type":"pty","pty_id":..,"offset":..}}: a connection that drops (any close
 * but a normal one) leaves the terminal running in the guest for its grace period, and
 * {@code ?attach=<pty_id>&offset=<bytes received>} joins it again with what it printed meanwhile.
 * {@code POST resize} resizes the session's most recently opened terminal.
 */
@ApplicationScoped
public class PtyRoutes {

    private static final Logger LOG = Logger.getLogger(PtyRoutes.class);
    private static final String BASE = sh.chaser.contracts.DataPlaneContract.SESSIONS_PATH + ":sid";
    static final long KEEPALIVE_MS = 20_000;
    static final long PAUSE_INPUT_AT = 256 * 1024;
    static final long RESUME_INPUT_AT = 64 * 1024;

    private final Map<String, GuestTerminal> latest = new ConcurrentHashMap<>();
    /** Set when this agent stops: whatever closes its sockets then (code 1000 included) is no hang-up. */
    private volatile boolean stopping;

    @Inject
    Sandboxes sandboxes;
    @Inject
    StreamCopy copy;

    void install(@Observes Router router) {
        router.get(BASE + "/pty").handler(this::open);
        router.post(BASE + "/resize").handler(BodyHandler.create().setBodyLimit(1 << 16))
                .handler(ctx -> Answers.blocking(ctx, () -> {
                    JsonObject body = Answers.body(ctx);
                    GuestTerminal pty = latest.get(CommandRoutes.sid(ctx));
                    if (pty == null) {
                        throw AgentError.PTY_NOT_FOUND.exception("the session has no open terminal");
                    }
                    pty.resize(size(body.getValue("cols")), size(body.getValue("rows")));
                    return body;
                }, body -> Answers.json(ctx, 200, new JsonObject().put("cols", body.getValue("cols"))
                        .put("rows", body.getValue("rows")))));
    }

    void open(RoutingContext ctx) {
        // the upgrade happens after the terminal has started: until then the request must stay unread
        ctx.request().pause();
        String sessionId = CommandRoutes.sid(ctx);
        Answers.blocking(ctx, () -> {
            String attach = ctx.queryParams().get("attach");
            if (attach != null) {
                Long offset = offset(ctx.queryParams().get("offset"));
                var inside = sandboxes.inside(sessionId, Map.of());
                return GuestErrors.call(() -> GuestTerminal.attach(inside.guest().address(), attach, offset));
            }
            PtyMode mode = PtyMode.of(ctx.queryParams().get("mode"));
            int cols = ctx.queryParams().contains("cols") ? size(ctx.queryParams().get("cols")) : 80;
            int rows = ctx.queryParams().contains("rows") ? size(ctx.queryParams().get("rows")) : 24;
            String command = mode.command(ctx.queryParams().get("command"));
            var inside = sandboxes.inside(sessionId, mode.environment());
            return GuestErrors
                    .call(() -> GuestTerminal.open(inside.guest().address(), command, inside.env(), cols, rows,
                            !mode.echo()));
        }, pty -> ctx.request().toWebSocket().onFailure(failure -> pty.close())
                .onSuccess(socket -> attach(ctx.vertx(), sessionId, socket, pty, () -> ActivityRoutes.end(ctx))));
    }

    private void attach(io.vertx.core.Vertx vertx, String sessionId, ServerWebSocket socket, GuestTerminal pty,
            Runnable closed) {
        latest.put(sessionId, pty);
        // first: which terminal this is and where its bytes start, to attach again after a drop
        socket.writeTextMessage(new JsonObject().put("type", "pty").put("pty_id", pty.id())
                .put("offset", pty.offset()).encode());
        long keepalive = vertx.setPeriodic(KEEPALIVE_MS, id -> socket.writePing(Buffer.buffer()));
        io.vertx.core.Context context = vertx.getOrCreateContext();
        socket.binaryMessageHandler(bytes -> {
            write(pty, bytes.getBytes());
            pushBack(context, socket, pty);
        });
        socket.textMessageHandler(text -> {
            control(pty, text);
            pushBack(context, socket, pty);
        });
        StreamCopy.Gate gate = new StreamCopy.Gate(socket);
        socket.closeHandler(v -> {
            closed.run();
            gate.close();
            vertx.cancelTimer(keepalive);
            latest.remove(sessionId, pty);
            Short status = socket.closeStatusCode();
            if (status != null && status == 1000 && !stopping) {
                pty.hangUp(); // closed on purpose: the terminal ends, as a window closed
            } else {
                pty.close(); // dropped: the guest keeps it for its grace period, to attach again
            }
        });
        copy.copy(pty.output(), socket, gate, receiverGone -> {
            if (receiverGone) {
                return;
            }
            if (pty.broken() || stopping) {
                // not an end: this agent lost the guest (stopping, or the guest restarted); the
                // terminal may run on, so the client is told to attach again, and nothing is hung up
                socket.close((short) 1011, "the host lost the terminal; attach again");
                return;
            }
            try {
                int code = pty.waitFor();
                socket.writeTextMessage(new JsonObject().put("type", "exit").put("exit_code", code).encode())
                        .onComplete(sent -> socket.close((short) 1000, "exited"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Beyond {@link #PAUSE_INPUT_AT} unsent keystrokes the socket is paused until the terminal took
     * them down to {@link #RESUME_INPUT_AT}: TCP slows the sender (an upload through sftp runs as fast as
     * the terminal reads) instead of the terminal's 1 MiB bound dropping input.
     */
    private static void pushBack(io.vertx.core.Context context, ServerWebSocket socket, GuestTerminal pty) {
        if (pty.pendingInput() > PAUSE_INPUT_AT) {
            socket.pause();
            pty.whenInputAtMost(RESUME_INPUT_AT, () -> context.runOnContext(v -> socket.resume()));
        }
    }

    private static void write(GuestTerminal pty, byte[] bytes) {
        try {
            pty.type(bytes);
        } catch (RuntimeException e) {
            LOG.debugf("terminal input dropped: %s", e.getMessage());
        }
    }

    private static void control(GuestTerminal pty, String text) {
        try {
            JsonObject message = new JsonObject(text);
            if ("resize".equals(message.getString("type"))) {
                pty.resize(size(message.getValue("cols")), size(message.getValue("rows")));
            } else if ("input".equals(message.getString("type")) && message.getString("data") != null) {
                write(pty, message.getString("data").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            LOG.debugf("terminal control message ignored: %s", e.getMessage());
        }
    }

    private static Long offset(String value) {
        if (value == null) {
            return null;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw AgentError.INVALID_REQUEST.exception("offset is a whole number of bytes, 0 or more");
    }

    private static int size(Object value) {
        try {
            int n = value instanceof Number number ? number.intValue() : Integer.parseInt(String.valueOf(value));
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw AgentError.INVALID_REQUEST.exception("cols and rows are whole numbers from 1 to 1000");
    }

    /** Set at the very start of a stop (the JVM's hooks run side by side with Quarkus's own). */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent e) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true, "pty-stopping"));
    }

    /** The agent stops (an upgrade, a restart): its terminals run on in their guests, to be attached again. */
    void onStop(@jakarta.enterprise.event.Observes @jakarta.annotation.Priority(1) io.quarkus.runtime.ShutdownEvent e) {
        stopping = true;
    }
}
