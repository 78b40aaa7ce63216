package sh.chaser.common.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import sh.chaser.contracts.AgentCallCredentials;
import sh.chaser.contracts.AgentCallToken;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.contracts.InternalTls;

/**
 * One gRPC channel per vm-agent address, kept for the life of the service: mutual TLS with this
 * service's certificate when internal TLS is configured ({@link InternalTls}), plaintext otherwise;
 * every call carries this service's agent-call token ({@link AgentCallCredentials}).
 */
@ApplicationScoped
public class AgentChannels {

    private static final Logger LOG = Logger.getLogger(AgentChannels.class);
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final AgentCallCredentials credentials;
    private final ChannelCredentials transport;
    private final boolean tls;

    @Inject
    public AgentChannels(@ConfigProperty(name = AgentCallToken.CONFIG) Optional<String> secretFile,
            @ConfigProperty(name = "quarkus.application.name") String caller) {
        this.credentials = new AgentCallCredentials(secretFile, caller);
        Optional<InternalTls> internal = InternalTls.fromConfig();
        this.transport = InternalTls.credentials(internal);
        this.tls = internal.isPresent();
        if (!credentials.configured()) {
            LOG.warnf("%s is not set: vm-agents will refuse this service's calls", AgentCallToken.CONFIG);
        }
    }

    public ManagedChannel of(String address) {
        ManagedChannel channel = channels.computeIfAbsent(address, a -> {
            var builder = Grpc.newChannelBuilder(a, transport).intercept(credentials);
            // agents are dialled by address; their certificates name the kind (vm-agent), checked instead
            return (tls ? builder.overrideAuthority(InternalCallers.AGENT) : builder).build();
        });
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            // an agent that restarted answers again at once: a call does not fail fast for the rest of
            // a reconnect backoff that grew while it was away (up to two minutes), it dials now
            channel.resetConnectBackoff();
        }
        return channel;
    }

    /**
     * Dials {@code address} now if its channel is not connected: the TLS handshake and the classes a first
     * call loads (about 200 ms on 2 cores) are paid when a host reports, not by a user's first request.
     */
    public void preconnect(String address) {
        of(address).getState(true);
    }

    @PreDestroy
    void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
