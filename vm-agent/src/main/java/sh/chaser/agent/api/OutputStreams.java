package sh.chaser.agent.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import sh.chaser.agent.commands.BackgroundCommand;
import sh.chaser.agent.commands.CommandOutput;

/**
 * A background command's output as Server-Sent Events, from a byte offset on: one event per run
 * of bytes of one stream ({@code id} = the offset after it), a comment every 15 s while the
 * command is quiet, and {@code event: exit} once every byte has been sent and the command ended.
 * Each stream has its own thread: it waits on the output and on the client's write queue.
 */
@ApplicationScoped
public class OutputStreams {

    private static final Logger LOG = Logger.getLogger(OutputStreams.class);
    private static final int EVENT_BYTES = 64 * 1024;
    private static final long QUIET_MS = 15_000;

    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "command-stream");
        thread.setDaemon(true);
        return thread;
    });

    void serve(RoutingContext ctx, BackgroundCommand command, long offset) {
        HttpServerResponse response = ctx.response().setChunked(true)
                .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        StreamCopy.Gate pressure = new StreamCopy.Gate(response);
        response.closeHandler(v -> pressure.close());
        threads.execute(() -> {
            try {
                stream(response, pressure, command, offset);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debugf("output stream of command %s ended: %s", command.id(), e.getMessage());
            } finally {
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
            }
        });
    }

    private static void stream(HttpServerResponse response, StreamCopy.Gate pressure, BackgroundCommand command,
            long from)
            throws Exception {
        CommandOutput output = command.output();
        long offset = from;
        response.write(": offset " + offset + "\n\n");
        while (!pressure.closed()) {
            var chunks = output.read(offset, EVENT_BYTES * 4, QUIET_MS);
            if (chunks.isEmpty()) {
                if (output.ended() && offset >= output.size()) {
                    JsonObject exit = new JsonObject().put("exit_code", command.exitCode());
                    response.write("event: exit\ndata: " + exit.encode() + "\n\n");
                    return;
                }
                response.write(": still running\n\n");
                continue;
            }
            for (var chunk : chunks) {
                for (int at = 0; at < chunk.data().length; at += EVENT_BYTES) {
                    int length = Math.min(EVENT_BYTES, chunk.data().length - at);
                    byte[] part = java.util.Arrays.copyOfRange(chunk.data(), at, at + length);
                    long start = chunk.offset() + at;
                    String data = new JsonObject().put("offset", start).put("data", CommandRoutes.base64(part))
                            .encode();
                    pressure.awaitRoom();
                    response.write(Buffer.buffer("event: " + chunk.stream() + "\nid: " + (start + length)
                            + "\ndata: " + data + "\n\n"));
                }
                offset = chunk.end();
            }
        }
    }

    @PreDestroy
    void close() {
        threads.shutdownNow();
    }
}
