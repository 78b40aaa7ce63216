package sh.chaser.common.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;
import sh.chaser.common.messaging.RefusalRecorder;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.contracts.InternalTls;
import sh.chaser.proto.errors.v1.ErrorReason;

/**
 * Each gRPC method answers only the identities {@link InternalCallers} lists for it, as the
 * caller's client certificate names them; a refused call is logged and audited (an installation
 * entry: no account). Without internal TLS configured nothing is checked here (module tests, a
 * run by hand): the start-up line says so.
 */
@GlobalInterceptor
@ApplicationScoped
public class CallerGuard implements ServerInterceptor, Prioritized {

    private static final Logger LOG = Logger.getLogger(CallerGuard.class);
    private static final Context.Key<String> IDENTITY = Context.key("chaser-caller-identity");
    private final boolean enforced;
    private final RefusalRecorder refusals;

    @Inject
    public CallerGuard(RefusalRecorder refusals) {
        this.enforced = InternalTls.fromConfig().isPresent();
        this.refusals = refusals;
        if (!enforced) {
            LOG.warn("internal TLS is not configured (chaser.tls.*): gRPC callers are not identified");
        }
    }

    /** Before every other interceptor (a service's own token checks): who calls is settled first. */
    @Override
    public int getPriority() {
        return 1000;
    }

    /** The caller's certified identity, in a gRPC method (before it goes asynchronous), when TLS is on. */
    public static Optional<String> identity() {
        return Optional.ofNullable(IDENTITY.get());
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (!enforced) {
            return next.startCall(call, headers);
        }
        String method = call.getMethodDescriptor().getFullMethodName();
        Optional<String> identity = InternalCallers
                .identityOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (identity.isPresent() && InternalCallers.allowed(method, identity.get())) {
            return Contexts.interceptCall(Context.current().withValue(IDENTITY, identity.get()), call, headers, next);
        }
        ErrorReason reason = identity.isPresent() ? ErrorReason.FORBIDDEN : ErrorReason.UNAUTHORIZED;
        String caller = identity.orElse("anonymous");
        LOG.warnf("refused %s to %s (%s)", method, caller, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        refusals.refused(null, "service", caller, "GRPC", method, ErrorCatalog.of(reason).code(), null);
        Metadata trailers = new Metadata();
        trailers.put(ErrorCatalog.TRAILER, ErrorCatalog.of(reason).code());
        call.close(Status.fromCodeValue(ErrorCatalog.of(reason).grpcStatus().value())
                .withDescription(identity.isPresent()
                        ? caller + " may not call " + method
                        : "present a client certificate of the installation's internal CA"),
                trailers);
        return new ServerCall.Listener<>() {
        };
    }
}
