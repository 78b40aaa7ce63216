package sh.chaser.agent.join;

/** The join cannot succeed as configured (refused, or not reachable before the deadline): the agent does not start. */
public final class JoinRefused extends RuntimeException {

    public JoinRefused(String message) {
        super(message);
    }
}
