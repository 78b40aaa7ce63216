package sh.chaser.account;

import org.junit.jupiter.api.Test;
import sh.chaser.testkit.LayerRules;

/** This service's layers and package graph as LayerRules describes them: a violation fails the build. */
class LayerRulesTest {

    @Test
    void layersHold() {
        LayerRules.check("account");
    }
}
