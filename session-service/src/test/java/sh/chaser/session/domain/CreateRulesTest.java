package sh.chaser.session.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import sh.chaser.common.api.ServiceException;

class CreateRulesTest {

    private static String refusedField(String type, String workspace, Boolean ephemeral, String image,
            Map<String, String> env) {
        var e = assertThrows(ServiceException.class, () -> CreateRules.check(type, workspace, ephemeral, image, env));
        assertEquals("invalid_request", e.code().code());
        return e.field();
    }

    @Test
    void theSeedsRules() {
        assertEquals("session_type", refusedField(null, null, true, null, null));
        assertEquals("session_type", refusedField("vm", null, true, null, null));
        assertEquals("workspace", refusedField("sandbox", null, null, null, null));
        assertEquals("workspace", refusedField("sandbox", " ", false, null, null));
        assertEquals("workspace", refusedField("browser", "w", true, null, null));
        assertEquals("image", refusedField("browser", null, true, "debian", null));
        assertEquals("image", refusedField("browser", "w", null, "debian", null));
        assertEquals("image", refusedField("sandbox", "w", null, "debian", null));
        assertEquals("env", refusedField("sandbox", null, true, null, Map.of("A-B", "x")));

        for (String steering : java.util.List.of("LD_PRELOAD", "LD_DEBUG", "ld_library_path", "GCONV_PATH", "BASH_ENV",
                "ENV", "CHASER_CGROUP_PROCS", "CHASER_SESSION_ID")) {
            assertEquals("env", refusedField("sandbox", null, true, null, Map.of(steering, "x")), steering);
        }
        // positive control: ordinary names, also ones that merely contain the refused words
        assertEquals(Map.of("PATH", "/x", "OLD_PWD", "y", "ENVIRONMENT", "z", "MY_CHASER_KEY", "k"),
                CreateRules.env(Map.of("PATH", "/x", "OLD_PWD", "y", "ENVIRONMENT", "z", "MY_CHASER_KEY", "k")));

        var e = assertThrows(ServiceException.class,
                () -> CreateRules.check("sandbox", null, true, null, null, "warp"));
        assertEquals("runtime", e.field());
        assertEquals("qemu", CreateRules.check("sandbox", null, true, null, null, "qemu").runtime());
        assertEquals(null, CreateRules.check("sandbox", null, true, null, null).runtime());

        var ephemeral = CreateRules.check("sandbox", null, true, "debian", null);
        assertTrue(ephemeral.ephemeral());
        assertEquals("debian", ephemeral.image());
        var persistent = CreateRules.check("browser", " my-ws ", null, null, Map.of("A", "1"));
        assertFalse(persistent.ephemeral());
        assertEquals("my-ws", persistent.workspace());
    }
}
