package sh.chaser.agent.runtime;

import java.util.Set;
import java.util.function.Supplier;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;
import sh.chaser.agent.domain.SandboxSpec;

/** Stands in when the host lacks what the configured driver needs: every Boot says what is missing. */
public record UnavailableRuntime(String name, String reason) implements VmRuntime {

    @Override
    public void check(SandboxSpec spec) {
        throw AgentError.RUNTIME_UNAVAILABLE
                .exception("the " + name + " runtime is not available on this host: " + reason);
    }

    @Override
    public RuntimeHandle boot(SandboxRecord record, Journal journal) {
        check(record.spec());
        return RuntimeHandle.NONE;
    }

    @Override
    public boolean alive(SandboxRecord record) {
        return false;
    }

    @Override
    public void destroy(SandboxRecord record) {}

    @Override
    public void sweepOrphans(Supplier<Set<String>> known) {}
}
