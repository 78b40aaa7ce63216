package sh.chaser.agent.runtime.namespace;

import java.util.Map;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.contracts.EnvRules;

/** A command's variables, each name checked again here (the API checks them first: defence in depth). */
final class SandboxEnv {

    private SandboxEnv() {
    }

    static Map<String, String> checked(Map<String, String> env) {
        env.keySet().forEach(name -> EnvRules.refusal(name).ifPresent(why -> {
            throw AgentError.INVALID_ARGUMENT.exception(why);
        }));
        return env;
    }
}
