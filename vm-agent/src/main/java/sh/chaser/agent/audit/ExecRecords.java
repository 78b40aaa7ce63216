package sh.chaser.agent.audit;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import sh.chaser.agent.application.HostIdentity;
import sh.chaser.agent.application.HostRegistration;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.proto.session.v1.ExecRecord;
import sh.chaser.proto.session.v1.HostRegistry;
import sh.chaser.proto.session.v1.RecordExecsRequest;

/**
 * The audit trail of the execs this host serves on its data plane: each is journaled before it is
 * answered ({@link ExecJournal}), then sent to session-service in batches, which records each once
 * as a {@code session.exec} audit entry; the journal forgets them when it answered. Nothing is lost
 * while session-service or Kafka are away, or when the agent crashes; nothing waits for them in
 * the exec's path.
 */
@ApplicationScoped
public class ExecRecords {

    private static final Logger LOG = Logger.getLogger(ExecRecords.class);
    private static final int BATCH = 500;
    /** How long a record waits for others to go with it: fewer calls and audit transactions under load. */
    private static final long LINGER_MS = 250;
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
    private static final long MAX_BACKOFF_MS = 30_000;

    @GrpcClient("session-service")
    HostRegistry registry;
    @Inject
    HostRegistration registration;
    @Inject
    HostIdentity identity;
    @Inject
    AgentConfig config;

    private ExecJournal journal;
    private Thread sender;
    private volatile boolean stopped;

    void onStart(@Observes StartupEvent event) {
        journal = new ExecJournal(Path.of(config.dataDir(), "exec-journal"));
        if (journal.backlog() > 0) {
            LOG.infof("exec journal: %d bytes of exec records still to send to session-service", journal.backlog());
        }
        sender = new Thread(this::send, "exec-records");
        sender.setDaemon(true);
        sender.start();
    }

    void onStop(@Observes ShutdownEvent event) throws IOException, InterruptedException {
        stopped = true;
        sender.interrupt();
        sender.join(5_000);
        journal.close();
    }

    /** A foreground exec that ran to its end (or its deadline). */
    public void ran(String sessionId, String actor, String requestId, int exitCode, boolean timedOut,
            long durationMs) {
        journal.append(base(sessionId, actor, requestId).setExitCode(exitCode).setTimedOut(timedOut)
                .setDurationMs(durationMs).build());
    }

    /** A background command that was started. */
    public void started(String sessionId, String actor, String requestId, String commandId) {
        journal.append(base(sessionId, actor, requestId).setBackground(true).setCommandId(commandId).build());
    }

    private static ExecRecord.Builder base(String sessionId, String actor, String requestId) {
        return ExecRecord.newBuilder().setId(UUID.randomUUID().toString()).setSessionId(sessionId)
                .setActor(actor == null ? "" : actor).setRequestId(requestId == null ? "" : requestId)
                .setOccurredAt(Instant.now().toString());
    }

    private void send() {
        long backoff = 0;
        boolean warned = false;
        while (!stopped) {
            try {
                if (backoff > 0) {
                    Thread.sleep(backoff);
                }
                String credential = registration.credential();
                if (credential == null) {
                    // not registered yet: session-service would refuse the records
                    Thread.sleep(1_000);
                    continue;
                }
                ExecJournal.Batch batch = journal.pending(BATCH, 1_000, LINGER_MS);
                if (batch.records().isEmpty()) {
                    continue;
                }
                var answer = registry.recordExecs(RecordExecsRequest.newBuilder().setHostId(identity.hostId())
                        .setHostCredential(credential).addAllExecs(batch.records()).build())
                        .await().atMost(CALL_DEADLINE);
                journal.confirmed(batch.next());
                if (answer.getDropped() > 0) {
                    LOG.warnf("session-service dropped %d exec records (sessions it does not place here)",
                            answer.getDropped());
                }
                if (warned) {
                    LOG.infof("exec records reach session-service again");
                }
                backoff = 0;
                warned = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!warned) {
                    LOG.warnf("exec records wait in the journal: session-service does not take them (%s); retrying",
                            e.getMessage());
                    warned = true;
                }
                backoff = Math.min(MAX_BACKOFF_MS, Math.max(500, backoff * 2));
            }
        }
    }
}
