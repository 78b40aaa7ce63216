package sh.chaser.contracts;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drops what a service still sends on a call its caller cancelled (a deadline, a hang-up). On the
 * Vert.x gRPC server every service runs on ({@code use-separate-server=false}), an answer to a
 * cancelled unary call is written as HEADERS for an HTTP/2 stream that is gone, which Netty treats
 * as a connection error: GOAWAY, and every other call on that connection fails ("Request stream N
 * is not correct for server connection"). A caller that hangs up could so fail other tenants' calls.
 * The check and the write happen together on the call's event loop, where the cancel is delivered.
 */
@GlobalInterceptor
@ApplicationScoped
public class CancelledCallGuard implements ServerInterceptor, Prioritized {

    /** Outermost (above the caller checks at 1000): every write of every other interceptor passes here. */
    @Override
    public int getPriority() {
        return 2000;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Guarded<Q, R> guarded = new Guarded<>(call, io.vertx.core.Vertx.currentContext());
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                next.startCall(guarded, headers)) {

            @Override
            public void onCancel() {
                guarded.cancelled = true;
                super.onCancel();
            }
        };
    }

    // where Quarkus keeps the HTTP exchange of a request in its Vert.x context
    private static final String ROUTE_KEY = RoutingContext.class.getName();

    private static final class Guarded<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

        private final io.vertx.core.Context context;
        private final Thread loop;
        private final AtomicInteger queued = new AtomicInteger();
        private final HttpServerResponse stream;
        private volatile boolean cancelled;

        Guarded(ServerCall<Q, R> call, io.vertx.core.Context context) {
            super(call);
            boolean onLoop = context != null && io.vertx.core.Context.isOnEventLoopThread();
            this.context = onLoop ? context : null;
            this.loop = onLoop ? Thread.currentThread() : null;
            Object route = onLoop ? context.getLocal(ROUTE_KEY) : null;
            this.stream = route instanceof RoutingContext r ? r.response() : null;
        }

        /** Also when only the HTTP/2 stream knows: the bridge hears of a reset only before the request ended. */
        @Override
        public boolean isCancelled() {
            return cancelled || super.isCancelled() || (stream != null && stream.closed() && !stream.ended());
        }

        @Override
        public void sendHeaders(Metadata headers) {
            unlessCancelled(() -> super.sendHeaders(headers));
        }

        @Override
        public void sendMessage(R message) {
            unlessCancelled(() -> super.sendMessage(message));
        }

        @Override
        public void close(Status status, Metadata trailers) {
            unlessCancelled(() -> super.close(status, trailers));
        }

        /** Runs {@code write} on the call's event loop, in order with earlier writes, unless cancelled by then. */
        private void unlessCancelled(Runnable write) {
            Runnable guarded = () -> {
                if (!isCancelled()) {
                    write.run();
                }
            };
            if (context == null || (Thread.currentThread() == loop && queued.get() == 0)) {
                guarded.run();
                return;
            }
            queued.incrementAndGet();
            context.runOnContext(v -> {
                try {
                    guarded.run();
                } finally {
                    queued.decrementAndGet();
                }
            });
        }
    }
}
