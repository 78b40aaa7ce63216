package sh.chaser.testhost;

/**
 * What a test needs from the host and did not find. It carries no stack trace: the message is the
 * whole story (what is missing and the command that provides it).
 */
public final class MissingOnHost extends AssertionError {

    public MissingOnHost(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
