package sh.chaser.agent.runtime.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The order of the egress rules decides what a sandbox reaches; the real filter is proven in SandboxIsolationTest. */
class EgressPolicyTest {

    @Test
    void byDefaultEveryNonPublicRangeIsDeniedAndExceptionsComeFirst() {
        var rules = EgressPolicy.of(true, Optional.empty(), Optional.of(List.of("192.168.252.0/24")), 64)
                .forwardRules();
        for (String range : List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
                "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4", "198.51.100.0/24")) {
            assertThat(rules).contains("-A CHASER-FORWARD -i chv+ -d " + range + " -j DROP");
        }
        int allow = rules.indexOf("-A CHASER-FORWARD -i chv+ -d 192.168.252.0/24 -j ACCEPT");
        int deny = rules.indexOf("-A CHASER-FORWARD -i chv+ -d 192.168.0.0/16 -j DROP");
        assertThat(allow).isNotNegative().isLessThan(deny);
        assertThat(rules.get(0)).contains("--dport 25").contains("REJECT");
        assertThat(rules.get(1)).contains("connlimit-above 64");
        assertThat(rules.get(rules.size() - 1)).isEqualTo("-A CHASER-FORWARD -i chv+ -j ACCEPT");
    }

    @Test
    void aConfiguredListReplacesTheDefaultAndEgressOffDropsTheRest() {
        var rules = EgressPolicy.of(false, Optional.of(List.of("10.250.0.0/24")), Optional.empty(), 512).forwardRules();
        assertThat(rules).contains("-A CHASER-FORWARD -i chv+ -d 10.250.0.0/24 -j DROP")
                .doesNotContain("-A CHASER-FORWARD -i chv+ -d 10.0.0.0/8 -j DROP")
                // link-local (cloud metadata) stays denied whatever the list says
                .contains("-A CHASER-FORWARD -i chv+ -d 169.254.0.0/16 -j DROP");
        assertThat(rules.get(rules.size() - 1)).isEqualTo("-A CHASER-FORWARD -i chv+ -j DROP");
    }
}
