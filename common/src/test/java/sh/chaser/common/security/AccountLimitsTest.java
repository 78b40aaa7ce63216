package sh.chaser.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountLimitsTest {

    @Test
    void theIdleActionTravelsInTheClaimAndAnythingButPauseTerminates() {
        AccountLimits pausing = new AccountLimits(3, 4, 5, 6, 7, AccountLimits.PAUSE);
        assertEquals(pausing, AccountLimits.fromClaim(pausing.toClaim()));
        assertEquals("pause", pausing.toClaim().get("idle_action"));

        Map<String, Object> older = new HashMap<>(pausing.toClaim());
        older.remove("idle_action"); // a token minted before the field existed
        assertEquals(AccountLimits.TERMINATE, AccountLimits.fromClaim(older).idleAction());
        older.put("idle_action", "sleep");
        assertEquals(AccountLimits.TERMINATE, AccountLimits.fromClaim(older).idleAction());
        assertEquals(AccountLimits.TERMINATE, new AccountLimits(1, 1, 1, 1, 1).idleAction());
        assertEquals(AccountLimits.TERMINATE, new AccountLimits(1, 1, 1, 1, 1, "").idleAction());
    }
}
