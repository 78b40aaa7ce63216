package sh.chaser.common.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
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

/**
 * One plaintext gRPC channel per vm-agent address, kept for the life of the service; every call
 * carries this service's agent-call token ({@link AgentCallCredentials}).
 */
@ApplicationScoped
public class AgentChannels {

    private static final Logger LOG = Logger.getLogger(AgentChannels.class);
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final AgentCallCredentials credentials;

    @Inject
    public AgentChannels(@ConfigProperty(name = AgentCallToken.CONFIG) Optional<String> secretFile,
            @ConfigProperty(name = "quarkus.application.name") String caller) {
        this.credentials = new AgentCallCredentials(secretFile, caller);
        if (!credentials.configured()) {
            LOG.warnf("%s is not set: vm-agents will refuse this service's calls", AgentCallToken.CONFIG);
        }
    }

    public ManagedChannel of(String address) {
        return channels.computeIfAbsent(address, a -> ManagedChannelBuilder.forTarget(a).usePlaintext()
                .intercept(credentials).build());
    }

    @PreDestroy
    void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
