package sh.chaser.agent.runtime.namespace;

import java.util.List;

/**
 * Where sandbox traffic may go beyond the host: everywhere public, minus the denied ranges (by
 * default every range that is not the public internet: private networks, CGNAT, loopback,
 * link-local with cloud metadata, multicast, reserved, benchmarking and documentation), plus an
 * operator's allowed exceptions; never SMTP (port 25); at most {@code connectionsMax} connections
 * per sandbox.
 */
public record EgressPolicy(boolean enabled, List<String> denied, List<String> allowed, int connectionsMax) {

    public static final List<String> DEFAULT_DENY = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10",
            "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24",
            "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");

    public static EgressPolicy of(boolean enabled, java.util.Optional<List<String>> denied,
            java.util.Optional<List<String>> allowed, int connectionsMax) {
        return new EgressPolicy(enabled, denied.orElse(DEFAULT_DENY), allowed.orElse(List.of()), connectionsMax);
    }

    /** The filter rules of {@code CHASER-FORWARD} for traffic from sandboxes, in order. */
    List<String> forwardRules() {
        var rules = new java.util.ArrayList<String>();
        rules.add("-A CHASER-FORWARD -i chv+ -p tcp --dport 25 -j REJECT --reject-with tcp-reset");
        rules.add("-A CHASER-FORWARD -i chv+ -p tcp --syn -m connlimit --connlimit-above " + connectionsMax
                + " --connlimit-mask 32 --connlimit-saddr -j REJECT --reject-with tcp-reset");
        rules.add("-A CHASER-FORWARD -i chv+ -d 169.254.0.0/16 -j DROP");
        allowed.forEach(a -> rules.add("-A CHASER-FORWARD -i chv+ -d " + a + " -j ACCEPT"));
        denied.forEach(d -> rules.add("-A CHASER-FORWARD -i chv+ -d " + d + " -j DROP"));
        rules.add("-A CHASER-FORWARD -i chv+ -j " + (enabled ? "ACCEPT" : "DROP"));
        return rules;
    }

    String describe() {
        return (enabled ? "NAT-ed" : "blocked") + (denied.isEmpty() ? "" : " except to " + String.join(", ", denied))
                + (allowed.isEmpty() ? "" : " (allowed anyway: " + String.join(", ", allowed) + ")")
                + "; SMTP closed; " + connectionsMax + " connections per sandbox";
    }
}
