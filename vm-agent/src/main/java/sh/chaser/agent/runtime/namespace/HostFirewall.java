package sh.chaser.agent.runtime.namespace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.agent.runtime.Commands;

/**
 * The host's packet filter for sandboxes, in chains of its own: nothing from a sandbox interface
 * ({@code chv+}) reaches the host itself (only answers to connections the host opened, e.g. port
 * forwarding, pass) (its loopback services, the platform's ports, any host
 * address), another sandbox, or link-local addresses such as a cloud metadata service; egress to
 * other networks is NAT-ed when enabled and dropped otherwise. The chains are replaced atomically
 * with iptables-restore, so re-applying them is safe while sandboxes run.
 */
public final class HostFirewall {

    private static final Logger LOG = Logger.getLogger(HostFirewall.class);

    private HostFirewall() {
    }

    /** @param egress where sandbox traffic may go beyond the host ({@link EgressPolicy}) */
    public static void apply(String cidr, EgressPolicy egress) {
        Commands.run(List.of("iptables-restore", "-w", "--noflush"), String.join("\n",
                "*filter",
                ":CHASER-INPUT - [0:0]",
                ":CHASER-FORWARD - [0:0]",
                "-A CHASER-INPUT -i chv+ -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                "-A CHASER-INPUT -i chv+ -j DROP",
                "-A CHASER-FORWARD -i chv+ -o chv+ -j DROP",
                "-A CHASER-FORWARD -o chv+ -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                "-A CHASER-FORWARD -o chv+ -j DROP",
                String.join("\n", egress.forwardRules()),
                "COMMIT",
                "*nat",
                ":CHASER-POSTROUTING - [0:0]",
                "-A CHASER-POSTROUTING -s " + cidr + " ! -d " + cidr + " -j MASQUERADE",
                "COMMIT", ""));
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
        if (egress.enabled()) {
            try {
                Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot enable IPv4 forwarding for sandbox egress", e);
            }
        }
        LOG.infof("Sandbox network %s: host and other sandboxes unreachable from inside; egress %s", cidr,
                egress.describe());
    }

    private static void jump(String tool, String table, String chain, String target) {
        var check = Commands.tryRun(List.of(tool, "-w", "-t", table, "-C", chain, "-j", target), null);
        if (check.exit() != 0) {
            Commands.run(List.of(tool, "-w", "-t", table, "-I", chain, "1", "-j", target));
        }
    }
}
