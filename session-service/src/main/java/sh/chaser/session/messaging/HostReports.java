package sh.chaser.session.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import sh.chaser.common.messaging.CloudEvents;
import sh.chaser.contracts.EventTypes;
import sh.chaser.proto.events.v1.HostReported;
import sh.chaser.session.application.HostReporter;
import sh.chaser.session.persistence.HostEntity;

/**
 * Tells the platform what the host registry heard from a vm-agent (register, heartbeat). Soft state:
 * sent straight, not through the outbox; a report lost to a broker hiccup is replaced by the next.
 */
@ApplicationScoped
public class HostReports implements HostReporter {

    private static final Logger LOG = Logger.getLogger(HostReports.class);

    @Inject
    @Channel("hosts-out")
    Emitter<String> emitter;
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.application.name")
    String source;

    @Override
    public void heard(HostEntity host) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        HostReported report = HostReported.newBuilder().setHostId(host.id).setGrpcAddress(host.grpcAddress)
                .addAllRuntimes(host.runtimes == null ? List.of() : List.of(host.runtimes))
                .setDiskFreeBytes(host.diskFreeBytes).setSandboxesMax(host.sandboxesMax)
                .setReportedAt(host.lastHeartbeatAt.toInstant().toString()).build();
        try {
            String event = json.writeValueAsString(CloudEvents.envelope(UUID.randomUUID(), source,
                    EventTypes.HOST_REPORTED, host.id, now, json.readTree(CloudEvents.json(report))));
            emitter.send(Message.of(event)
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(host.id).build())
                    .withNack(e -> {
                        LOG.debugf("report of host %s not sent (%s); the next heartbeat sends another", host.id,
                                e.getMessage());
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (Exception e) {
            LOG.warnf("report of host %s not sent: %s", host.id, e.getMessage());
        }
    }
}
