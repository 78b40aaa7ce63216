package sh.chaser.agent.application;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.proto.session.v1.HeartbeatRequest;
import sh.chaser.proto.session.v1.HostRegistry;
import sh.chaser.proto.session.v1.RegisterHostRequest;

/**
 * Keeps this host registered with session-service: register until it succeeds, then heartbeat at
 * the interval the registry asks for; a heartbeat the registry does not know leads to a new
 * registration (the registry may have lost its database, or the host was removed).
 */
@ApplicationScoped
public class HostRegistration {

    private static final Logger LOG = Logger.getLogger(HostRegistration.class);

    @GrpcClient("session-service")
    HostRegistry registry;
    @Inject
    HostIdentity identity;
    @Inject
    AgentConfig config;
    @Inject
    Vertx vertx;
    @Inject
    Sandboxes sandboxes;
    @Inject
    RefusedCalls refusedCalls;

    private final AtomicBoolean registered = new AtomicBoolean();
    private volatile HostCredential credential;
    private volatile boolean stopped;
    private volatile boolean warned;

    public boolean registered() {
        return registered.get();
    }

    /** The credential session-service issued this host; null before the first registration. */
    public String credential() {
        HostCredential known = credential;
        return known == null || !registered.get() ? null : known.credential();
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof(
                "vm-agent host %s listening on http://%s (gRPC), management on port %s (/q/health/ready, /q/metrics); "
                        + "data dir %s; runtimes %s",
                identity.hostId(), identity.grpcAddress(),
                ConfigProvider.getConfig().getOptionalValue("quarkus.management.port",
                        String.class).orElse("?"),
                config.dataDir(),
                runtimes());
        credential = new HostCredential(config.joinTokenFile(), config.dataDir());
        register();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    private void register() {
        if (stopped) {
            return;
        }
        var request = RegisterHostRequest.newBuilder()
                .setHostId(identity.hostId())
                .setGrpcAddress(identity.grpcAddress())
                .addAllRuntimes(runtimes())
                .setCapacity(identity.capacity(sandboxes.runningIds().size()))
                .setAgentVersion(getClass().getPackage().getImplementationVersion() == null
                        ? "dev"
                        : getClass().getPackage().getImplementationVersion())
                .setJoinToken(credential.joinToken())
                .setHostCredential(credential.credential())
                .build();
        registry.registerHost(request).subscribe().with(response -> {
            if (!response.getHostCredential().isEmpty()) {
                credential.keep(response.getHostCredential());
            }
            registered.set(true);
            warned = false;
            LOG.infof("Registered host %s (%s) with session-service; heartbeat every %ds",
                    request.getHostId(), request.getGrpcAddress(), response.getHeartbeatIntervalSeconds());
            later(response.getHeartbeatIntervalSeconds(), () -> heartbeat(response.getHeartbeatIntervalSeconds()));
        }, failure -> {
            if (!warned) {
                LOG.warnf("%s; retrying every %ds", refusal(failure), config.registerRetrySeconds());
                warned = true;
            }
            later(config.registerRetrySeconds(), this::register);
        });
    }

    private void heartbeat(int intervalSeconds) {
        if (stopped) {
            return;
        }
        List<String> running = sandboxes.runningIds();
        var reported = refusedCalls.drain();
        var request = HeartbeatRequest.newBuilder().setHostId(identity.hostId())
                .setCapacity(identity.capacity(running.size())).addAllRunningSessionIds(running)
                .setHostCredential(credential.credential()).addAllRefusedCalls(reported).build();
        registry.heartbeat(request).subscribe().with(response -> {
            if (response.getKnown()) {
                later(intervalSeconds, () -> heartbeat(intervalSeconds));
            } else {
                LOG.warn("session-service does not know this host any more; registering again");
                registered.set(false);
                register();
            }
        }, failure -> {
            refusedCalls.putBack(reported);
            LOG.warnf("heartbeat failed (%s); registering again", failure.getMessage());
            registered.set(false);
            later(config.registerRetrySeconds(), this::register);
        });
    }

    /** What to tell the operator when registering failed. */
    private static String refusal(Throwable failure) {
        var status = Status.fromThrowable(failure).getCode();
        return switch (status) {
            case UNAUTHENTICATED -> "session-service refused this host: no valid join token (set "
                    + "CHASER_HOST_JOIN_TOKEN_FILE to the file holding the installation's token)";
            case PERMISSION_DENIED -> "session-service refused this host: its id is registered by another "
                    + "host (set another CHASER_HOST_ID, or restore this host's data directory)";
            default -> "session-service not reachable yet (" + failure.getMessage() + ")";
        };
    }

    private List<String> runtimes() {
        return sandboxes.offered();
    }

    private void later(int seconds, Runnable action) {
        if (!stopped) {
            vertx.setTimer(Math.max(1, seconds) * 1000L, id -> action.run());
        }
    }
}
