package sh.chaser.agent.runtime.namespace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.contracts.EnvRules;

/**
 * A tenant's environment variables on their way into a sandbox without touching a host process.
 * The host chain (setsid, a shell joining the cgroup, nsenter) runs as root with a fixed environment:
 * a tenant's {@code LD_PRELOAD}, {@code PATH} or {@code IFS} there would be host code execution. So
 * each variable travels under an inert name ({@value #PREFIX}NAME, read by no loader, C library or
 * shell) and the image's own shell, already inside the sandbox, exports it under its real name.
 */
final class SandboxEnv {

    static final String PREFIX = "CHASER_E_";
    /** Names are checked before they get here, so eval sees only [A-Za-z_][A-Za-z0-9_]*. */
    private static final String SHIM = "while [ \"$1\" != -- ]; do eval \"export $1=\\\"\\${" + PREFIX
            + "$1}\\\"; unset " + PREFIX + "$1\"; shift; done; shift; exec \"$@\"";

    private SandboxEnv() {
    }

    /** The session's variables with the command's on top, each name checked again here (defence in depth). */
    static Map<String, String> merged(Map<String, String> session, Map<String, String> command) {
        Map<String, String> all = new LinkedHashMap<>(session);
        all.putAll(command);
        all.keySet().forEach(name -> EnvRules.refusal(name).ifPresent(why -> {
            throw AgentError.INVALID_ARGUMENT.exception(why);
        }));
        return all;
    }

    /** The command as run inside: unchanged without variables, else behind the in-sandbox shell that sets them. */
    static List<String> command(Map<String, String> tenant, List<String> command) {
        if (tenant.isEmpty()) {
            return command;
        }
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SHIM, "chaser-env"));
        argv.addAll(tenant.keySet());
        argv.add("--");
        argv.addAll(command);
        return argv;
    }

    /** The inert host-side form of the variables. */
    static Map<String, String> carried(Map<String, String> tenant) {
        Map<String, String> carried = new LinkedHashMap<>();
        tenant.forEach((name, value) -> carried.put(PREFIX + name, value));
        return carried;
    }
}
