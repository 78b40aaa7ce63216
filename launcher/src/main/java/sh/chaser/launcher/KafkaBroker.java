package sh.chaser.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A single-node Apache Kafka broker in KRaft combined mode, from the jars on the launcher's classpath.
 * Both listeners speak only mutual TLS with the installation's CA (as every internal port); a
 * client's principal is its certificate's common name, and {@link KafkaAcls} say what each may do.
 * The broker's own identity ({@value #IDENTITY}) is the one super user: the launcher's admin client.
 */
public final class KafkaBroker {

    /** The broker's certificate; also the launcher's admin identity (topics and ACLs). */
    static final String IDENTITY = "kafka";

    private final Settings settings;
    private final InternalCertificates certificates;

    public KafkaBroker(Settings settings, InternalCertificates certificates) {
        this.settings = settings;
        this.certificates = certificates;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + settings.kafkaPort();
    }

    Path dir() {
        return settings.home().resolve("kafka");
    }

    /** Writes the configuration and formats the storage once; both are kept across restarts. */
    public void prepare(String java, String classpath) throws IOException, InterruptedException {
        Path dir = dir();
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + settings.kafkaControllerPort(),
                "listeners=CLIENT://127.0.0.1:" + settings.kafkaPort() + ",CONTROLLER://127.0.0.1:"
                        + settings.kafkaControllerPort(),
                "advertised.listeners=CLIENT://127.0.0.1:" + settings.kafkaPort(),
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:SSL,CLIENT:SSL",
                "inter.broker.listener.name=CLIENT",
                "ssl.keystore.type=PEM",
                "ssl.keystore.location=" + certificates.keystore(IDENTITY),
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=" + certificates.ca(),
                "ssl.client.auth=required",
                // the principal is the common name of a certificate the CA itself issued (CN=session-service,
                // O=Chaser -> session-service); one the agent issuer signed (OU=agents) keeps its whole name,
                // which no ACL names: session-service's issuer key mints no Kafka identity
                "ssl.principal.mapping.rules=RULE:^CN=([^,]+),O=Chaser$/$1/,DEFAULT",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found=false",
                "super.users=User:" + IDENTITY,
                "log.dirs=" + data,
                "num.partitions=3",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                ""));
        Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level=WARN",
                "rootLogger.appenderRef.stdout.ref=STDOUT",
                "appender.stdout.type=Console",
                "appender.stdout.name=STDOUT",
                "appender.stdout.layout.type=PatternLayout",
                "appender.stdout.layout.pattern=%d{HH:mm:ss.SSS} %-5p [%c] %m%n",
                "logger.server.name=kafka.server.KafkaRaftServer",
                "logger.server.level=INFO",
                ""));
        if (Files.exists(data.resolve("meta.properties"))) {
            return;
        }
        Path log = settings.logs().resolve("kafka-format.log");
        Process format = new ProcessBuilder(java, "-cp", classpath, log4j(), "kafka.tools.StorageTool", "format",
                "-t", clusterId(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (format.waitFor() != 0) {
            throw new IOException("formatting Kafka storage failed; see " + log);
        }
    }

    public List<String> command(String java, String classpath) {
        return List.of(java, "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", log4j(), "-Dchaser.process=kafka",
                "-cp", classpath, "kafka.Kafka", dir().resolve("server.properties").toString());
    }

    private String log4j() {
        return "-Dlog4j2.configurationFile=" + dir().resolve("log4j2.properties");
    }

    private static String clusterId() {
        // A Kafka cluster id is 16 bytes in URL-safe base64 without padding. One that starts with
        // '-' reads as an option to the storage tool's argument parser (1 run in 64 failed): skip it.
        while (true) {
            UUID u = UUID.randomUUID();
            var buf = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                    .putLong(u.getLeastSignificantBits());
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    /** The platform's topics; created up front so that consumers started first find them. */
    static final List<String> TOPICS = List.of("chaser.accounts.v1", "chaser.workspaces.v1", "chaser.sessions.v1",
            "chaser.jobs.v1", "chaser.hosts.v1",
            "chaser.audit.v1", "chaser.audit.v1.dlq", "chaser.account.platform-events.dlq", "chaser.workspaces.v1.dlq");

    /** Host reports are soft state: only each host's newest matters (compacted by host id). */
    static java.util.Map<String, String> configOf(String topic) {
        return topic.equals("chaser.hosts.v1")
                ? java.util.Map.of("cleanup.policy", "compact", "segment.ms", "600000")
                : java.util.Map.of();
    }

    /** Creates the platform's topics that do not exist yet, and grants each identity its ACLs. */
    public void createTopics() throws Exception {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createAcls(KafkaAcls.bindings()).all().get();
            var existing = admin.listTopics().names().get();
            var missing = TOPICS.stream().filter(t -> !existing.contains(t))
                    .map(t -> new org.apache.kafka.clients.admin.NewTopic(t, 3, (short) 1).configs(configOf(t)))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        }
    }

    private Properties adminConfig() {
        Properties p = new Properties();
        p.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"));
        p.putAll(Map.of("security.protocol", "SSL", "ssl.keystore.type", "PEM",
                "ssl.keystore.location", certificates.keystore(IDENTITY).toString(),
                "ssl.truststore.type", "PEM", "ssl.truststore.location", certificates.ca().toString()));
        return p;
    }

    /** Ready once the broker answers a cluster description. */
    public boolean ready() {
        try (Admin admin = Admin.create(adminConfig())) {
            return !admin.describeCluster().nodes().get().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}
