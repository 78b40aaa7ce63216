package sh.chaser.agent.grpc;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import sh.chaser.agent.application.RefusedCalls;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.contracts.AgentCallToken;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.contracts.InternalTls;

/**
 * The agent's gRPC API answers only callers holding the installation's agent-call secret
 * ({@link AgentCallToken}): boot, destroy, exec and every disk operation are refused
 * ({@code UNAUTHENTICATED}) to anyone else on the host network. Without a configured secret every
 * call is refused. With internal TLS configured the caller's certificate must also name an identity
 * {@link InternalCallers} lists for the method (only session-service boots, only workspace-service
 * touches disks); a refusal is logged.
 */
@GlobalInterceptor
@ApplicationScoped
public class AgentCallGuard implements ServerInterceptor {

    private static final Logger LOG = Logger.getLogger(AgentCallGuard.class);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private final byte[] secret;
    private final boolean identified;
    private final RefusedCalls refusedCalls;

    @Inject
    public AgentCallGuard(@ConfigProperty(name = AgentCallToken.CONFIG) Optional<String> secretFile,
            RefusedCalls refusedCalls) {
        this.refusedCalls = refusedCalls;
        this.secret = secretFile.map(f -> AgentCallToken.readSecret(Path.of(f))).orElse(null);
        this.identified = InternalTls.fromConfig().isPresent();
        if (!identified) {
            LOG.warn("internal TLS is not configured (chaser.tls.*): gRPC callers are not identified");
        }
        if (secret == null) {
            LOG.errorf("%s is not set: every gRPC call (Boot, Destroy, Disks, ...) will be refused",
                    AgentCallToken.CONFIG);
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (!call.getMethodDescriptor().getFullMethodName().startsWith("chaser.")) {
            return next.startCall(call, headers); // e.g. the gRPC health service
        }
        String method = call.getMethodDescriptor().getFullMethodName();
        if (identified) {
            Optional<String> identity = InternalCallers
                    .identityOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            if (identity.isEmpty() || !InternalCallers.allowed(method, identity.get())) {
                LOG.warnf("refused %s to %s (%s)", method, identity.orElse("anonymous"),
                        call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
                AgentError refusal = identity.isEmpty() ? AgentError.UNAUTHORIZED : AgentError.FORBIDDEN;
                refusedCalls.refused(identity.orElse("anonymous"), "GRPC", method, refusal.code());
                Metadata trailers = new Metadata();
                trailers.put(GrpcErrors.CODE, refusal.code());
                call.close((identity.isEmpty() ? Status.UNAUTHENTICATED : Status.PERMISSION_DENIED)
                        .withDescription(identity.map(i -> i + " may not call " + method)
                                .orElse("present a client certificate of the installation's internal CA")),
                        trailers);
                return new ServerCall.Listener<>() {
                };
            }
        }
        String header = headers.get(AUTHORIZATION);
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
        if (secret == null || AgentCallToken.verify(secret, token, Instant.now()).isEmpty()) {
            Metadata trailers = new Metadata();
            trailers.put(GrpcErrors.CODE, AgentError.UNAUTHORIZED.code());
            call.close(Status.UNAUTHENTICATED.withDescription(secret == null
                    ? "this agent has no agent-call secret configured and answers no one"
                    : "send the agent-call token of a Chaser service (authorization: Bearer act1...)"), trailers);
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
