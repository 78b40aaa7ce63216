package sh.chaser.contracts;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which environment variables a tenant may set on a session or a command. Shell-style names; none
 * that steers a dynamic loader, a C library or a shell before the command's own code runs
 * ({@code LD_*}, {@code GCONV_PATH}, {@code BASH_ENV}, {@code ENV}), and none of the platform's own
 * ({@code CHASER_*}). The vm-agent never puts a tenant's variable into a host process's environment;
 * refusing these at the API as well is defence in depth.
 */
public final class EnvRules {

    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final List<String> REFUSED_PREFIXES = List.of("LD_", "CHASER_");
    private static final List<String> REFUSED_NAMES = List.of("GCONV_PATH", "BASH_ENV", "ENV");

    private EnvRules() {}

    /** Why {@code name} may not be set, or empty when it may. */
    public static Optional<String> refusal(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.of("env names are [A-Za-z_][A-Za-z0-9_]* (at most 128 characters)");
        }
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        if (REFUSED_NAMES.contains(upper) || REFUSED_PREFIXES.stream().anyMatch(upper::startsWith)) {
            return Optional.of("env " + name + " is not allowed: LD_*, GCONV_PATH, BASH_ENV, ENV and CHASER_* are"
                    + " reserved (they steer the loader, the C library, shells or the platform)");
        }
        return Optional.empty();
    }
}
