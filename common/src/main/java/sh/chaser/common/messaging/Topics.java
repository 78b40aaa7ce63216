package sh.chaser.common.messaging;

/** Kafka topics: one per aggregate, plus the audit trail every service feeds. */
public final class Topics {

    public static final String ACCOUNTS = "chaser.accounts.v1";
    public static final String WORKSPACES = "chaser.workspaces.v1";
    public static final String SESSIONS = "chaser.sessions.v1";
    public static final String JOBS = "chaser.jobs.v1";
    /** Host reports (soft state, compacted by host id): see HostReported in events.proto. */
    public static final String HOSTS = "chaser.hosts.v1";
    /** CloudEvents of type {@code sh.chaser.audit.recorded.v1}, stored by account-service. */
    public static final String AUDIT = sh.chaser.contracts.AuditEvents.TOPIC;

    private Topics() {}
}
