package sh.chaser.agent.join;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The agent's entry point: before Quarkus starts (its port needs a certificate), an agent told
 * where to join ({@code CHASER_JOIN_URL}) gets its certificate from session-service when it has
 * none yet, or one that expires soon ({@link Joining}).
 */
@QuarkusMain
public final class AgentMain {

    private AgentMain() {}

    public static void main(String... args) {
        try {
            Joining.fromEnvironment(System.getenv()).ifPresent(Joining::ensureCertificate);
        } catch (JoinRefused e) {
            System.err.println("vm-agent: " + e.getMessage());
            System.exit(2);
        }
        Quarkus.run(args);
    }
}
