package sh.chaser.agent.domain;

/** A failure with a catalogue code; its message is safe to show the caller. */
public class AgentException extends RuntimeException {

    private final AgentError error;

    public AgentException(AgentError error, String message) {
        super(message);
        this.error = error;
    }

    public AgentException(AgentError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public AgentError error() {
        return error;
    }
}
