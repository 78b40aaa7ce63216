package sh.chaser.workspace.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import sh.chaser.common.grpc.AgentChannels;
import sh.chaser.common.persistence.Tx;
import sh.chaser.contracts.EventTypes;
import sh.chaser.proto.events.v1.HostReported;
import sh.chaser.workspace.persistence.HostEntity;
import sh.chaser.workspace.persistence.PgHostRepository;

/**
 * Keeps the hosts table as session-service's registry reports them. Reports are soft state: a
 * redelivered or late one older than the row changes nothing.
 */
@ApplicationScoped
public class HostReportsConsumer {

    @Inject
    ObjectMapper json;
    @Inject
    PgHostRepository hosts;
    @Inject
    AgentChannels channels;

    @Incoming("hosts-in")
    @Blocking
    public void apply(String cloudEvent) throws Exception {
        JsonNode event = json.readTree(cloudEvent);
        if (!EventTypes.HOST_REPORTED.equals(event.path("type").asText())) {
            return;
        }
        HostReported report = EventTypes.data(event.path("data").toString(), HostReported.newBuilder());
        if (report.getHostId().isEmpty() || report.getGrpcAddress().isEmpty()) {
            return;
        }
        OffsetDateTime at = OffsetDateTime.parse(report.getReportedAt());
        Tx.run(() -> hosts.findById(report.getHostId()).flatMap(row -> {
            if (row != null && !at.isAfter(row.reportedAt)) {
                return Uni.createFrom().voidItem();
            }
            HostEntity h = row != null ? row : new HostEntity();
            h.id = report.getHostId();
            h.grpcAddress = report.getGrpcAddress();
            h.runtimes = report.getRuntimesList().toArray(String[]::new);
            h.diskFreeBytes = report.getDiskFreeBytes();
            h.reportedAt = at;
            return row != null ? Uni.createFrom().voidItem() : hosts.persist(h).replaceWithVoid();
        }));
        channels.preconnect(report.getGrpcAddress());
    }
}
