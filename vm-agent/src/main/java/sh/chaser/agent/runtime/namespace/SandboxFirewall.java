package sh.chaser.agent.runtime.namespace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.agent.host.Commands;

/**
 * The egress policy in two walls: the host's chains ({@link HostFirewall}) and a chain of the same
 * policy inside every sandbox's network namespace ({@code CHASER-EGRESS} on {@code OUTPUT}), which
 * the sandbox cannot change (it holds no capability there) and which still holds if the host's
 * rules are flushed. Both carry a signature of the policy; {@link #recheck} (from the reconcile
 * loop) puts back whatever no longer carries it, and says so.
 */
public final class SandboxFirewall {

    private static final Logger LOG = Logger.getLogger(SandboxFirewall.class);
    private static final String CHAIN = "CHASER-EGRESS";

    private final String cidr;
    private final EgressPolicy egress;
    private final String signature;
    private final long intervalNanos;
    private volatile long lastCheck = Long.MIN_VALUE / 2;

    public SandboxFirewall(String cidr, EgressPolicy egress, Duration recheckInterval) {
        this.cidr = cidr;
        this.egress = egress;
        this.signature = "chaser-" + digest(cidr + "|" + egress);
        this.intervalNanos = recheckInterval.toNanos();
    }

    public void applyHost() {
        HostFirewall.apply(cidr, egress, signature);
    }

    /** The chain inside the namespace, replaced whole, and the jump to it from {@code OUTPUT}. */
    public void applyInside(String netns) {
        String script = "iptables-restore -w --noflush && (iptables -w -C OUTPUT -j " + CHAIN
                + " 2>/dev/null || iptables -w -I OUTPUT 1 -j " + CHAIN + ")"
                + " && ip6tables-restore -w <<'EOF'\n" + String.join("\n", ipv6Rules()) + "\nEOF";
        Commands.run(List.of("ip", "netns", "exec", netns, "sh", "-c", script), String.join("\n", ipv4Rules()) + "\n");
    }

    /** Every {@code interval}: the host's chains and each listed namespace's, put back where they drifted. */
    public void recheck(Collection<String> netnsNames) {
        long now = System.nanoTime();
        if (now - lastCheck < intervalNanos) {
            return;
        }
        lastCheck = now;
        if (!HostFirewall.holds(signature)) {
            LOG.warnf("the host's sandbox firewall rules were changed or removed; putting them back");
            applyHost();
        }
        for (String netns : netnsNames) {
            var listed = Commands.tryRun(List.of("ip", "netns", "exec", netns, "iptables", "-w", "-S"), null);
            if (listed.exit() == 0 && !holdsInside(listed.output())) {
                LOG.warnf("the egress rules inside %s were changed or removed; putting them back", netns);
                applyInside(netns);
            }
        }
    }

    boolean holdsInside(String listing) {
        long rules = listing.lines().filter(l -> l.startsWith("-A " + CHAIN + " ")).count();
        return listing.contains("-A OUTPUT -j " + CHAIN) && listing.contains(signature)
                && rules == ipv4Rules().stream().filter(l -> l.startsWith("-A ")).count();
    }

    /** Inside: loopback and answers pass; then the host's policy for what leaves the namespace. */
    List<String> ipv4Rules() {
        List<String> rules = new ArrayList<>(List.of("*filter", ":" + CHAIN + " - [0:0]",
                "-A " + CHAIN + " -o lo -j ACCEPT",
                "-A " + CHAIN + " -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT"));
        for (String rule : egress.forwardRules()) {
            if (!rule.contains("connlimit")) {
                // the connection cap counts per sandbox address, on the host
                rules.add(rule.replace("-A CHASER-FORWARD -i chv+ ", "-A " + CHAIN + " "));
            }
        }
        String last = rules.remove(rules.size() - 1);
        rules.add(last.replace(" -j ", " -m comment --comment " + signature + " -j "));
        rules.add("COMMIT");
        return rules;
    }

    /** Sandboxes have no IPv6 route; nothing but loopback leaves by IPv6 should one appear (the table is replaced whole). */
    private static List<String> ipv6Rules() {
        return List.of("*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
                "-A OUTPUT -o lo -j ACCEPT", "-A OUTPUT -j DROP", "COMMIT");
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
