package sh.chaser.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JvmOptionsTest {

    @Test
    void controlPlaneServicesCompileWithC1OnlyAndTheDataPlaneKeepsC2() {
        for (String module : List.of("account-service", "workspace-service", "session-service")) {
            assertTrue(JvmOptions.of(module, Map.of()).contains("-XX:TieredStopAtLevel=1"), module);
        }
        for (String module : List.of("api-gateway", "vm-agent")) {
            assertFalse(JvmOptions.of(module, Map.of()).contains("-XX:TieredStopAtLevel=1"), module);
        }
    }

    @Test
    void chaserJavaOptsComeLastSoTheyWin() {
        List<String> flags = JvmOptions.of("session-service",
                Map.of("CHASER_JAVA_OPTS", " -XX:TieredStopAtLevel=4   -Xmx512m "));
        assertEquals(List.of("-XX:TieredStopAtLevel=4", "-Xmx512m"), flags.subList(flags.size() - 2, flags.size()));
        assertEquals(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC"), JvmOptions.of("vm-agent", Map.of()));
    }
}
