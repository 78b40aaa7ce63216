package sh.chaser.agent.support;

import java.util.HashMap;
import java.util.Map;

/** The sandbox tests' agent with the {@code qemu} runtime: real microVMs (TCG on these machines). */
public class QemuTestProfile extends AgentTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("chaser.agent.runtime", "qemu");
        config.put("chaser.agent.also-offer", "namespace");
        config.put("chaser.agent.defaults.memory-bytes", Long.toString(384L << 20));
        return config;
    }
}
