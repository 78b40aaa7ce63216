package sh.chaser.launcher;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each identity may do on the broker; nothing else is allowed. Each service writes its own
 * topic (and the audit trail, and its dead letters), reads what it consumes under its own consumer
 * groups; the gateway writes only the audit trail (its refusals) and reads account events. The
 * same table is deploy/base/kafka-users.yaml (Strimzi KafkaUser resources).
 */
final class KafkaAcls {

    record Grant(String identity, List<String> writes, List<String> reads, List<String> groups, String groupPrefix) {}

    static final List<Grant> GRANTS = List.of(
            new Grant("account-service",
                    List.of("chaser.accounts.v1", "chaser.audit.v1", "chaser.audit.v1.dlq",
                            "chaser.account.platform-events.dlq"),
                    List.of("chaser.audit.v1", "chaser.sessions.v1", "chaser.workspaces.v1", "chaser.jobs.v1"),
                    List.of("account-service-audit", "account-service-usage-webhooks"), null),
            new Grant("workspace-service", List.of("chaser.workspaces.v1", "chaser.audit.v1"),
                    List.of("chaser.hosts.v1"), List.of("workspace-service-hosts"), null),
            new Grant("session-service",
                    List.of("chaser.sessions.v1", "chaser.jobs.v1", "chaser.hosts.v1", "chaser.audit.v1",
                            "chaser.workspaces.v1.dlq"),
                    List.of("chaser.workspaces.v1"), List.of("session-service-workspaces"), null),
            // one consumer group per gateway instance (every instance sees every account event)
            new Grant("api-gateway", List.of("chaser.audit.v1"), List.of("chaser.accounts.v1"), List.of(),
                    "api-gateway-"));

    private KafkaAcls() {}

    static List<AclBinding> bindings() {
        List<AclBinding> bindings = new ArrayList<>();
        for (Grant grant : GRANTS) {
            for (String topic : grant.writes()) {
                bindings.add(allow(grant, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
                bindings.add(allow(grant, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
            }
            for (String topic : grant.reads()) {
                bindings.add(allow(grant, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
                bindings.add(allow(grant, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
            }
            for (String group : grant.groups()) {
                bindings.add(allow(grant, ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ));
            }
            if (grant.groupPrefix() != null) {
                bindings.add(allow(grant, ResourceType.GROUP, grant.groupPrefix(), PatternType.PREFIXED,
                        AclOperation.READ));
            }
        }
        return bindings;
    }

    private static AclBinding allow(Grant grant, ResourceType type, String name, PatternType pattern,
            AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + grant.identity(), "*", operation, AclPermissionType.ALLOW));
    }
}
