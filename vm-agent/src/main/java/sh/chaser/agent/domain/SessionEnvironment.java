package sh.chaser.agent.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables every process of a session starts with, whatever runs it: the platform's, then
 * the session's; a command's own (already checked against the env rules) go over them.
 */
public final class SessionEnvironment {

    /** Where relative paths and commands start. */
    public static final String WORKSPACE = "/workspace";
    public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private SessionEnvironment() {}

    /** The name a session's machine has: {@code sbx-} and the session id's first eight characters. */
    public static String hostname(String sessionId) {
        return "sbx-" + sessionId.substring(0, 8);
    }

    public static Map<String, String> of(SandboxSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", WORKSPACE);
        env.put("USER", "user");
        env.put("LANG", "C.UTF-8");
        env.put("HOSTNAME", hostname(spec.sessionId()));
        env.put("CHASER_SESSION_ID", spec.sessionId());
        env.putAll(spec.env());
        return env;
    }

    /** A command's variables: the session's with {@code command}'s over them. */
    public static Map<String, String> forCommand(SandboxSpec spec, Map<String, String> command) {
        Map<String, String> env = of(spec);
        env.putAll(command);
        return env;
    }
}
