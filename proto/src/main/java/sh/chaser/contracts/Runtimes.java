package sh.chaser.contracts;

import java.util.Set;

/** The isolation drivers a session may name ({@code runtime} on session and workspace create),
        as vm-agents report them. */
public final class Runtimes {

    public static final Set<String> NAMES = Set.of("namespace", "qemu", "firecracker");

    private Runtimes() {}
}
