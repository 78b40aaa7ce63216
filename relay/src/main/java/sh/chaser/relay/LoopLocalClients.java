package sh.chaser.relay;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP client per event loop, each used only from its own loop. A relay's two connections (the
 * caller's and the one onward) then live on one thread: Vert.x's shared pool hands out an idle
 * connection made on any loop, and a relay across two loops hands every chunk from one thread to
 * the other (a wake-up and a context switch per chunk; a fifth of a download's CPU on 2 cores).
 */
public final class LoopLocalClients implements AutoCloseable {

    private final Vertx vertx;
    private final HttpClientOptions options;
    private final Map<Thread, HttpClient> byLoop = new ConcurrentHashMap<>();
    private volatile HttpClient offLoop;

    public LoopLocalClients(Vertx vertx, HttpClientOptions options) {
        this.vertx = vertx;
        this.options = options;
    }

    /** The client of the calling event loop; a shared one for callers on other threads. */
    public HttpClient current() {
        if (Context.isOnEventLoopThread()) {
            return byLoop.computeIfAbsent(Thread.currentThread(), loop -> vertx.createHttpClient(options));
        }
        HttpClient shared = offLoop;
        if (shared == null) {
            synchronized (this) {
                if (offLoop == null) {
                    offLoop = vertx.createHttpClient(options);
                }
                shared = offLoop;
            }
        }
        return shared;
    }

    /** Closes every client and its connections. */
    @Override
    public synchronized void close() {
        byLoop.values().forEach(HttpClient::close);
        byLoop.clear();
        if (offLoop != null) {
            offLoop.close();
            offLoop = null;
        }
    }
}
