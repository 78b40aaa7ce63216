package sh.chaser.agent.domain;

/** CPU, memory and process limits of one sandbox; zero fields take the host's defaults. */
public record Limits(int vcpus, long memoryBytes, int maxProcesses) {

    public static final long MIN_MEMORY = 16L << 20;

    public Limits {
        if (vcpus < 0 || vcpus > 64) {
            throw AgentError.INVALID_REQUEST.exception("limits.vcpus must be 0..64");
        }
        if (memoryBytes != 0 && memoryBytes < MIN_MEMORY) {
            throw AgentError.INVALID_REQUEST.exception("limits.memory_bytes must be at least 16 MiB");
        }
        if (maxProcesses < 0 || (maxProcesses > 0 && maxProcesses < 4)) {
            throw AgentError.INVALID_REQUEST.exception("limits.max_processes must be at least 4");
        }
    }

    /** This limits object with its zero fields replaced by the defaults'. */
    public Limits orDefaults(Limits defaults) {
        return new Limits(vcpus == 0 ? defaults.vcpus : vcpus,
                memoryBytes == 0 ? defaults.memoryBytes : memoryBytes,
                maxProcesses == 0 ? defaults.maxProcesses : maxProcesses);
    }

    /**
     * A browser's defaults: a multi-process Chromium needs at least 2 vCPUs (its start-up runs
     * several processes at once), 1 GiB and 1024 processes, or the host's defaults when larger.
     */
    public Limits forBrowser() {
        return new Limits(Math.max(2, vcpus), Math.max(1L << 30, memoryBytes), Math.max(1024, maxProcesses));
    }
}
