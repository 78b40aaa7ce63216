package sh.chaser.agent.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import sh.chaser.contracts.AgentCallCredentials;

/** The agent-call secret of the agents these tests start, and the credentials a test client sends with it. */
public final class TestAgentCalls {

    public static final Path SECRET = Path.of("target/agent-test-calls.secret").toAbsolutePath();

    private TestAgentCalls() {}

    /** The secret file's path, written on first use. */
    public static synchronized String secretFile() {
        try {
            if (!Files.exists(SECRET)) {
                Files.createDirectories(SECRET.getParent());
                Files.writeString(SECRET, "0123456789abcdef0123456789abcdef-test-only-secret\n");
            }
            return SECRET.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AgentCallCredentials credentials() {
        return new AgentCallCredentials(Path.of(secretFile()), "agent-tests");
    }
}
