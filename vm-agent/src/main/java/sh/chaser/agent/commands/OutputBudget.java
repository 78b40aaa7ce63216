package sh.chaser.agent.commands;

/**
 * The bytes of command output one session may keep on the host's disk, shared by all its
 * background commands: each command has a cap of its own, and together they stay under this one,
 * so many commands cannot do what one is stopped from doing. A forgotten command's bytes come back.
 */
public final class OutputBudget {

    private final long max;
    private long used;

    public OutputBudget(long max) {
        this.max = max;
    }

    /** An unlimited budget (for a command kept on its own). */
    public static OutputBudget unlimited() {
        return new OutputBudget(Long.MAX_VALUE);
    }

    /** Up to {@code wanted} bytes, fewer when the budget runs out. */
    synchronized long take(long wanted) {
        long granted = Math.max(0, Math.min(wanted, max - used));
        used += granted;
        return granted;
    }

    synchronized void giveBack(long bytes) {
        used = Math.max(0, used - bytes);
    }

    public long max() {
        return max;
    }
}
