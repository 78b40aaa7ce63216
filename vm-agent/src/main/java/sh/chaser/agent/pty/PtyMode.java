package sh.chaser.agent.pty;

import java.util.Map;
import sh.chaser.agent.domain.AgentError;

/**
 * What a PTY runs. {@code human}: a login shell with colours and echo; {@code agent}: a shell
 * without echo, line editing or colour ({@code TERM=dumb}), so what a program reads back is only
 * output; {@code exec}: one command, no prompt.
 */
public enum PtyMode {

    HUMAN,
    AGENT,
    EXEC;

    private static final String SHELL = "if command -v bash >/dev/null 2>&1; then exec bash %s; else exec sh %s; fi";

    public static PtyMode of(String value) {
        if (value == null || value.isBlank()) {
            return HUMAN;
        }
        try {
            return valueOf(value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw AgentError.INVALID_REQUEST.exception("mode must be human, agent or exec");
        }
    }

    /** The shell command the terminal runs inside the sandbox (in /workspace). */
    public String command(String execCommand) {
        return switch (this) {
            case HUMAN -> SHELL.formatted("-l", "-l");
            // the terminal is the sandbox's own: echo is turned off in there
            case AGENT -> "stty -echo 2>/dev/null; " + SHELL.formatted("--norc --noprofile --noediting -i", "-i");
            case EXEC -> {
                if (execCommand == null || execCommand.isBlank()) {
                    throw AgentError.INVALID_REQUEST.exception("mode exec needs command=");
                }
                yield execCommand;
            }
        };
    }

    public Map<String, String> environment() {
        return this == AGENT ? Map.of("TERM", "dumb", "NO_COLOR", "1", "PS1", "$ ") : Map.of("TERM", "xterm-256color");
    }

    /** Whether the terminal echoes what is typed. */
    public boolean echo() {
        return this != AGENT;
    }
}
