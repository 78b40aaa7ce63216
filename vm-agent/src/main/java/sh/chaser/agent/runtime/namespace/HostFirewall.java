package sh.chaser.agent.runtime.namespace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.agent.host.Commands;

/**
 * The host's packet filter for sandboxes, in chains of its own: nothing from a sandbox interface
 * ({@code chv+}) reaches the host itself (only answers to connections the host opened, e.g. port
 * forwarding, pass) (its loopback services, the platform's ports, any host address), another
 * sandbox, or link-local addresses such as a cloud metadata service; egress to other networks is
 * NAT-ed when enabled and dropped otherwise. When the agent is what turned IPv4 forwarding on, the
 * host forwards nothing but sandbox traffic. The chains are replaced atomically with
 * iptables-restore, so re-applying them is safe while sandboxes run.
 */
public final class HostFirewall {

    private static final Logger LOG = Logger.getLogger(HostFirewall.class);
    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");
    /** Present while forwarding is on because of Chaser (gone at reboot, as the setting is). */
    private static final Path FORWARDING_OURS = Path.of("/run/chaser/ip-forward-by-chaser");

    private HostFirewall() {}

    /**
     * @param egress    where sandbox traffic may go beyond the host ({@link EgressPolicy})
     * @param signature a comment on the chains' last rules, which {@link #holds} looks for
     */
    static void apply(String cidr, EgressPolicy egress, String signature) {
        boolean forwardingOurs = egress.enabled() && enableForwarding();
        Commands.run(List.of("iptables-restore", "-w", "--noflush"), String.join("\n",
                filterRules(cidr, egress, signature, forwardingOurs)) + "\n");
        Commands.run(List.of("ip6tables-restore", "-w", "--noflush"), String.join("\n",
                "*filter",
                ":CHASER-INPUT - [0:0]",
                ":CHASER-FORWARD - [0:0]",
                "-A CHASER-INPUT -i chv+ -j DROP",
                "-A CHASER-FORWARD -i chv+ -j DROP",
                "-A CHASER-FORWARD -o chv+ -j DROP",
                "COMMIT", ""));
        jump("iptables", "filter", "INPUT", "CHASER-INPUT");
        jump("iptables", "filter", "FORWARD", "CHASER-FORWARD");
        jump("iptables", "nat", "POSTROUTING", "CHASER-POSTROUTING");
        jump("ip6tables", "filter", "INPUT", "CHASER-INPUT");
        jump("ip6tables", "filter", "FORWARD", "CHASER-FORWARD");
        LOG.infof("Sandbox network %s: host and other sandboxes unreachable from inside; egress %s%s", cidr,
                egress.describe(), forwardingOurs ? "; the host forwards sandbox traffic only" : "");
    }

    static List<String> filterRules(String cidr, EgressPolicy egress, String signature, boolean forwardingOurs) {
        List<String> rules = new ArrayList<>(List.of(
                "*filter",
                ":CHASER-INPUT - [0:0]",
                ":CHASER-FORWARD - [0:0]",
                "-A CHASER-INPUT -i chv+ -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                "-A CHASER-INPUT -i chv+ -m comment --comment " + signature + " -j DROP",
                "-A CHASER-FORWARD -i chv+ -o chv+ -j DROP",
                "-A CHASER-FORWARD -o chv+ -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                "-A CHASER-FORWARD -o chv+ -j DROP"));
        rules.addAll(egress.forwardRules());
        if (forwardingOurs) {
            rules.add("-A CHASER-FORWARD -j DROP");
        }
        String last = rules.remove(rules.size() - 1);
        rules.add(last.replace(" -j ", " -m comment --comment " + signature + " -j "));
        rules.addAll(List.of("COMMIT",
                "*nat",
                ":CHASER-POSTROUTING - [0:0]",
                "-A CHASER-POSTROUTING -s " + cidr + " ! -d " + cidr + " -j MASQUERADE",
                "COMMIT"));
        return rules;
    }

    /** Whether the chains still carry this signature and are jumped to. */
    static boolean holds(String signature) {
        var filter = Commands.tryRun(List.of("iptables", "-w", "-S"), null);
        var nat = Commands.tryRun(List.of("iptables", "-w", "-t", "nat", "-S"), null);
        if (filter.exit() != 0 || nat.exit() != 0) {
            return false;
        }
        String rules = filter.output();
        return rules.lines().filter(l -> l.contains(signature)).count() == 2
                && rules.contains("-A INPUT -j CHASER-INPUT") && rules.contains("-A FORWARD -j CHASER-FORWARD")
                && nat.output().contains("-A POSTROUTING -j CHASER-POSTROUTING")
                && nat.output().contains("-A CHASER-POSTROUTING ");
    }

    /** Turns IPv4 forwarding on; true when it is on because of Chaser (it was off before the first agent). */
    private static boolean enableForwarding() {
        try {
            if (Files.exists(FORWARDING_OURS)) {
                return true;
            }
            if ("1".equals(Files.readString(IP_FORWARD).strip())) {
                return false;
            }
            Files.createDirectories(FORWARDING_OURS.getParent());
            Files.writeString(FORWARDING_OURS, "net.ipv4.ip_forward was 0; the vm-agent turned it on for sandboxes\n");
            Files.writeString(IP_FORWARD, "1");
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot enable IPv4 forwarding for sandbox egress", e);
        }
    }

    private static void jump(String tool, String table, String chain, String target) {
        var check = Commands.tryRun(List.of(tool, "-w", "-t", table, "-C", chain, "-j", target), null);
        if (check.exit() != 0) {
            Commands.run(List.of(tool, "-w", "-t", table, "-I", chain, "1", "-j", target));
        }
    }
}
