package sh.chaser.contracts;

import java.util.Map;
import java.util.Optional;

/**
 * What a command request ({@code POST .../exec}) may carry, checked the same wherever it is served
 * (session-service for {@code /v1/exec}, the vm-agent's data plane for a session's exec).
 */
public final class ExecRules {

    public static final long DEFAULT_TIMEOUT_MS = 60_000;
    public static final long MAX_TIMEOUT_MS = 600_000;
    public static final int MAX_ENV = 64;
    public static final int MAX_ENV_VALUE = 32_768;

    /** A refused request: what is wrong and the field at fault. */
    public record Refusal(String message, String field) {}

    private ExecRules() {}

    public static Optional<Refusal> command(String command) {
        return command == null || command.isBlank()
                ? Optional.of(new Refusal("command is required", "command"))
                : Optional.empty();
    }

    public static Optional<Refusal> timeout(long timeoutMs) {
        return timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS
                ? Optional.of(new Refusal("timeout_ms must be between 1 and " + MAX_TIMEOUT_MS, "timeout_ms"))
                : Optional.empty();
    }

    public static Optional<Refusal> env(Map<String, String> env) {
        if (env == null) {
            return Optional.empty();
        }
        if (env.size() > MAX_ENV) {
            return Optional.of(new Refusal("at most " + MAX_ENV + " environment variables", "env"));
        }
        for (var e : env.entrySet()) {
            Optional<String> why = EnvRules.refusal(e.getKey());
            if (why.isPresent()) {
                return Optional.of(new Refusal(why.get(), "env"));
            }
            if (e.getValue() == null || e.getValue().length() > MAX_ENV_VALUE) {
                return Optional.of(new Refusal("env values are strings of at most 32 KiB", "env"));
            }
        }
        return Optional.empty();
    }
}
