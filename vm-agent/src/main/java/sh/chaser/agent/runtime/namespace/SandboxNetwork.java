package sh.chaser.agent.runtime.namespace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import sh.chaser.agent.host.Commands;

/**
 * One network namespace per sandbox, joined to the host by a veth pair on its own /30: the host
 * side {@code chv<n>} holds .1, the sandbox's {@code eth0} holds .2 and routes through it. Slot
 * numbers are claimed host-wide by files under {@code claimDir} (created exclusively), so several
 * agents on one host never hand out the same addresses; a claim names its owner and session.
 */
public final class SandboxNetwork {

    private final Path claimDir;
    private final int baseAddress;
    private final int slots;
    private final SandboxFirewall firewall;
    /** Slots being set up right now: the firewall check leaves them to {@link #setUp}. */
    private final Set<Integer> settingUp = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** For tools that only read and release slots: namespaces it sets up get no egress rules inside. */
    public SandboxNetwork(Path claimDir, String cidr) {
        this(claimDir, cidr, null);
    }

    /**
     * @param cidr     an IPv4 network such as {@code 10.213.0.0/16}; each sandbox takes a /30 of it
     * @param firewall the egress rules every namespace set up gets inside
     */
    public SandboxNetwork(Path claimDir, String cidr, SandboxFirewall firewall) {
        this.claimDir = claimDir;
        this.firewall = firewall;
        String[] parts = cidr.split("/");
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 8 || prefix > 28) {
            throw new IllegalArgumentException("sandbox network prefix must be /8../28: " + cidr);
        }
        this.baseAddress = toInt(parts[0]) & (-1 << (32 - prefix));
        this.slots = Math.min(1 << (30 - prefix), 100_000);
    }

    public static String netns(int slot) {
        return "chaser-" + slot;
    }

    public static Path netnsPath(int slot) {
        return Path.of("/run/netns", netns(slot));
    }

    public String sandboxAddress(int slot) {
        return toDotted(baseAddress + slot * 4 + 2);
    }

    public String hostAddress(int slot) {
        return toDotted(baseAddress + slot * 4 + 1);
    }

    /** Claims a free slot for this owner's session. */
    public int claim(String owner, String sessionId) {
        try {
            Files.createDirectories(claimDir);
            for (int slot = 0; slot < slots; slot++) {
                try {
                    Files.writeString(claimDir.resolve(Integer.toString(slot)), owner + " " + sessionId,
                            java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                    return slot;
                } catch (FileAlreadyExistsException taken) {
                    // next
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no free sandbox network slot in " + slots);
    }

    /** Hands a claimed slot to another session of the same owner (atomically: rename over the claim). */
    public void relabel(int slot, String owner, String sessionId) {
        try {
            Path temporary = claimDir.resolve(slot + ".relabel");
            Files.writeString(temporary, owner + " " + sessionId);
            Files.move(temporary, claimDir.resolve(Integer.toString(slot)),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The user namespace the slot's network namespace belongs to (the sandbox joins both). */
    public static Path usernsPath(int slot) {
        return SlotNamespaces.userns(netns(slot));
    }

    /** The host's end of a slot's link (a veth or a VM's tap): what the host firewall's {@code chv+} rules match. */
    public static String linkName(int slot) {
        return "chv" + slot;
    }

    /**
     * Creates (or re-creates) a claimed slot as a tap for a microVM: the host's address on it, the
     * VM's address the other one of the /30 (its guest sets it up). The host's firewall applies as
     * to a veth (same name plan); there is no namespace, so no second wall inside: the VM's kernel
     * is the tenant's. An {@code owner} above 0 (uid and gid) may open the tap without privileges: an
     * unprivileged VMM (Firecracker under its jailer).
     */
    public void setUpTap(int slot, long owner) {
        settingUp.add(slot);
        try {
            tearDownLinks(slot);
            Commands.run(List.of("ip", "-batch", "-"), String.join("\n",
                    "tuntap add dev " + linkName(slot) + " mode tap"
                            + (owner > 0 ? " user " + owner + " group " + owner : ""),
                    "addr add " + hostAddress(slot) + "/30 dev " + linkName(slot),
                    "link set " + linkName(slot) + " up", ""));
        } finally {
            settingUp.remove(slot);
        }
    }

    /** Creates (or re-creates) the namespaces and veth pair of a claimed slot. */
    public void setUp(int slot) {
        settingUp.add(slot);
        try {
            build(slot);
        } finally {
            settingUp.remove(slot);
        }
    }

    private void build(int slot) {
        tearDownLinks(slot);
        String host = hostAddress(slot);
        SlotNamespaces.create(netns(slot), netnsPath(slot));
        Commands.run(List.of("ip", "-batch", "-"), String.join("\n",
                "link add chv" + slot + " type veth peer name eth0 netns " + netns(slot),
                "addr add " + host + "/30 dev chv" + slot,
                "link set chv" + slot + " up", ""));
        Commands.run(List.of("ip", "-n", netns(slot), "-batch", "-"), String.join("\n",
                "link set lo up",
                "addr add " + sandboxAddress(slot) + "/30 dev eth0",
                "link set eth0 up",
                "route add default via " + host, ""));
        // port forwarding: what the host sends to the sandbox's address reaches listeners on the
        // sandbox's own loopback too (the sandbox cannot change this: it has no capability in its namespaces)
        Commands.run(List.of("ip", "netns", "exec", netns(slot), "sh", "-c",
                "echo 1 > /proc/sys/net/ipv4/conf/eth0/route_localnet && "
                        + "iptables -w -t nat -A PREROUTING -i eth0 -p tcp -j DNAT --to-destination 127.0.0.1"));
        if (firewall != null) {
            firewall.applyInside(netns(slot));
        }
    }

    /** The reconcile loop's check of the firewall: the host's chains and those of this owner's namespaces. */
    public void recheckFirewall(String owner) {
        if (firewall == null) {
            return;
        }
        List<String> namespaces = new java.util.ArrayList<>();
        forEachClaim((slot, claim) -> {
            if (claim.startsWith(owner + " ") && !settingUp.contains(slot) && Files.exists(netnsPath(slot))) {
                namespaces.add(netns(slot));
            }
        });
        firewall.recheck(namespaces);
    }

    /**
     * Removes the slot this owner holds for the session, with its namespace and links; looks at
     * {@code slotHint} first and searches every claim only when the hint does not hold (a crash
     * between claiming and journaling the slot).
     */
    public void release(String owner, String sessionId, int slotHint) {
        if (slotHint >= 0) {
            try {
                if (Files.readString(claimDir.resolve(Integer.toString(slotHint))).strip()
                        .equals(owner + " " + sessionId)) {
                    free(slotHint);
                    return;
                }
            } catch (IOException notThere) {
                // search below
            }
        }
        forEachClaim((slot, claim) -> {
            if (claim.equals(owner + " " + sessionId)) {
                free(slot);
            }
        });
    }

    /**
     * Removes this owner's slots whose session is not known (asked after the claims are read);
     * slots held for {@code poolLabel} only when {@code includePool}.
     */
    public void sweep(String owner, Supplier<Set<String>> known, String poolLabel, boolean includePool) {
        java.util.Map<Integer, String> claims = new java.util.HashMap<>();
        forEachClaim(claims::put);
        Set<String> knownIds = known.get();
        claims.forEach((slot, claim) -> {
            String[] parts = claim.split(" ", 2);
            if (parts.length == 2 && parts[0].equals(owner) && !knownIds.contains(parts[1])
                    && (includePool || !parts[1].equals(poolLabel))) {
                free(slot);
            }
        });
    }

    private void free(int slot) {
        tearDownLinks(slot);
        try {
            Files.deleteIfExists(claimDir.resolve(Integer.toString(slot)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void tearDownLinks(int slot) {
        if (Files.exists(netnsPath(slot))) {
            Commands.run(List.of("ip", "netns", "delete", netns(slot)));
        }
        SlotNamespaces.removeUserns(netns(slot));
        // deleting the namespace destroys the pair; a host end left over by a crash goes here
        if (Files.exists(Path.of("/sys/class/net/chv" + slot))) {
            Commands.tryRun(List.of("ip", "link", "delete", "chv" + slot), null);
        }
    }

    private interface ClaimVisitor {

        void visit(int slot, String claim);
    }

    private void forEachClaim(ClaimVisitor visitor) {
        if (!Files.isDirectory(claimDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(claimDir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.matches("\\d+")) {
                    String claim;
                    try {
                        claim = Files.readString(file).strip();
                    } catch (IOException gone) {
                        continue;
                    }
                    visitor.visit(Integer.parseInt(name), claim);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int toInt(String dotted) {
        String[] octets = dotted.split("\\.");
        int value = 0;
        for (String octet : octets) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }

    private static String toDotted(int value) {
        return ((value >>> 24) & 255) + "." + ((value >>> 16) & 255) + "." + ((value >>> 8) & 255) + "."
                + (value & 255);
    }
}
