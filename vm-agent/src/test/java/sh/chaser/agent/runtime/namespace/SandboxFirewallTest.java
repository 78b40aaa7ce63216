package sh.chaser.agent.runtime.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rule sets both walls are made of, and how a drifted chain is recognised; the rules in a real
 * kernel are proven end to end (ContainmentIT flushes the host's chain and the sandbox still
 * reaches no private network).
 */
class SandboxFirewallTest {

    private final EgressPolicy policy = EgressPolicy.of(true, Optional.empty(),
            Optional.of(List.of("192.168.252.0/24")), 64);
    private final SandboxFirewall firewall = new SandboxFirewall("10.213.0.0/16", policy, Duration.ofSeconds(30));

    @Test
    void insideTheNamespaceTheSamePolicyHoldsAfterLoopbackAndAnswers() {
        var rules = firewall.ipv4Rules();
        assertThat(rules.get(2)).isEqualTo("-A CHASER-EGRESS -o lo -j ACCEPT");
        assertThat(rules.get(3)).contains("ESTABLISHED,RELATED");
        assertThat(rules)
                .contains("-A CHASER-EGRESS -d 10.0.0.0/8 -j DROP", "-A CHASER-EGRESS -d 192.168.252.0/24 -j ACCEPT")
                .anyMatch(r -> r.contains("--dport 25") && r.contains("REJECT"))
                .noneMatch(r -> r.contains("connlimit") || r.contains("chv+"));
        assertThat(rules.get(rules.size() - 2)).startsWith("-A CHASER-EGRESS -m comment --comment chaser-")
                .endsWith("-j ACCEPT");
    }

    @Test
    void aChainWithoutTheSignatureOrWithRulesMissingHasDrifted() {
        var rules = firewall.ipv4Rules();
        String applied = String.join("\n", rules.stream().filter(r -> r.startsWith("-A ")).toList())
                + "\n-A OUTPUT -j CHASER-EGRESS\n";
        assertThat(firewall.holdsInside(applied)).isTrue();
        assertThat(firewall.holdsInside(applied.replace("-A OUTPUT -j CHASER-EGRESS\n", ""))).isFalse();
        assertThat(firewall.holdsInside(applied.replace("-A CHASER-EGRESS -d 10.0.0.0/8 -j DROP\n", ""))).isFalse();
        var other = new SandboxFirewall("10.213.0.0/16", EgressPolicy.of(false, Optional.empty(), Optional.empty(), 64),
                Duration.ofSeconds(30));
        assertThat(other.holdsInside(applied)).as("another policy's chain").isFalse();
    }

    @Test
    void whenTheAgentTurnedForwardingOnTheHostForwardsSandboxTrafficOnly() {
        var ours = HostFirewall.filterRules("10.213.0.0/16", policy, "chaser-x", true);
        assertThat(ours).contains("-A CHASER-FORWARD -m comment --comment chaser-x -j DROP");
        var theirs = HostFirewall.filterRules("10.213.0.0/16", policy, "chaser-x", false);
        assertThat(theirs).noneMatch(r -> r.startsWith("-A CHASER-FORWARD -m comment"))
                .contains("-A CHASER-FORWARD -i chv+ -m comment --comment chaser-x -j ACCEPT");
    }
}
