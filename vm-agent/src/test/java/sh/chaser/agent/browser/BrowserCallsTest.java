package sh.chaser.agent.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import sh.chaser.agent.domain.AgentException;

/** A page id that would steer the DevTools request elsewhere is refused; Chromium's own ids pass. */
class BrowserCallsTest {

    @Test
    void onlyAnIdsCharactersGoIntoThePath() {
        // the positive control: an id as Chromium hands it out
        assertThat(BrowserCalls.checkedTarget("8F1C2A0B9D3E4F5061728394A5B6C7D8")).isEqualTo(
                "8F1C2A0B9D3E4F5061728394A5B6C7D8");
        for (String hostile : new String[]{ "../../v1/exec", "x?port=22", "a/b", "", "x".repeat(65), null }) {
            assertThatThrownBy(() -> BrowserCalls.checkedTarget(hostile)).as(String.valueOf(hostile))
                    .isInstanceOf(AgentException.class);
        }
    }
}
