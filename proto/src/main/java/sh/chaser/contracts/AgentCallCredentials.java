package sh.chaser.contracts;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Puts this service's {@link AgentCallToken} on every call to a vm-agent, made again a while before
 * it expires. Without a configured secret nothing is added, and agents refuse the calls.
 */
public final class AgentCallCredentials implements ClientInterceptor {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private final byte[] secret;
    private final String caller;
    private volatile String token;
    private volatile Instant renewAt = Instant.MIN;

    /** For a client outside the services (tests, benchmarks) that reads an installation's secret. */
    public AgentCallCredentials(Path secretFile, String caller) {
        this(Optional.of(secretFile.toString()), caller);
    }

    public AgentCallCredentials(Optional<String> secretFile, String caller) {
        this.secret = secretFile.map(f -> AgentCallToken.readSecret(Path.of(f))).orElse(null);
        this.caller = caller;
    }

    public boolean configured() {
        return secret != null;
    }

    private String token() {
        Instant now = Instant.now();
        if (now.isAfter(renewAt)) {
            token = AgentCallToken.mint(secret, caller, now);
            renewAt = now.plus(AgentCallToken.TTL.dividedBy(2));
        }
        return token;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {

            @Override
            public void start(Listener<R> listener, Metadata headers) {
                if (secret != null) {
                    headers.put(AUTHORIZATION, "Bearer " + token());
                }
                super.start(listener, headers);
            }
        };
    }
}
