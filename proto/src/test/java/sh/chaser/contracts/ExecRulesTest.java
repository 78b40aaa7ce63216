package sh.chaser.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks of an exec request that session-service and the vm-agent's data plane both apply. */
class ExecRulesTest {

    @Test
    void aCommandIsRequired() {
        assertEquals("command", ExecRules.command(null).orElseThrow().field());
        assertEquals("command", ExecRules.command("  ").orElseThrow().field());
        assertTrue(ExecRules.command("true").isEmpty());
    }

    @Test
    void theTimeoutIsBetweenOneMillisecondAndTenMinutes() {
        assertEquals("timeout_ms", ExecRules.timeout(0).orElseThrow().field());
        assertEquals("timeout_ms", ExecRules.timeout(600_001).orElseThrow().field());
        assertTrue(ExecRules.timeout(1).isEmpty());
        assertTrue(ExecRules.timeout(600_000).isEmpty());
    }

    @Test
    void theEnvFollowsTheEnvRules() {
        assertTrue(ExecRules.env(null).isEmpty());
        assertTrue(ExecRules.env(Map.of("GREETING", "hi")).isEmpty());
        assertEquals("env", ExecRules.env(Map.of("LD_PRELOAD", "/tmp/x.so")).orElseThrow().field());
        assertEquals("env", ExecRules.env(Map.of("BAD NAME", "x")).orElseThrow().field());
        assertEquals("env", ExecRules.env(Map.of("BIG", "x".repeat(32_769))).orElseThrow().field());
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= ExecRules.MAX_ENV; i++) {
            many.put("V" + i, "x");
        }
        assertTrue(ExecRules.env(many).orElseThrow().message().contains("at most 64"));
    }
}
