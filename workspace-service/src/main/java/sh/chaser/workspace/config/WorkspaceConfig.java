package sh.chaser.workspace.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "chaser.workspace")
public interface WorkspaceConfig {

    Placement placement();

    Hosts hosts();

    Agents agents();

    Reconcile reconcile();

    interface Placement {

        /** A host takes a new disk only with at least this much free space. 1 GiB. */
        @WithDefault("1073741824")
        long minFreeBytes();

    }

    interface Hosts {

        /**
         * A host whose last report on chaser.hosts.v1 is older than this is not live: no new disk is
         * placed on it and its disk operations answer host_unavailable. Matches session-service's
         * lost-after (hosts heartbeat every 5 s).
         */
        @WithDefault("30s")
        Duration lostAfter();
    }

    interface Agents {

        /** Deadline of one disk call to a vm-agent (create, clone, snapshot, restore, delete). */
        @WithDefault("60s")
        Duration deadline();

        /** Deadline of a whole Git import. */
        @WithDefault("30m")
        Duration importDeadline();
    }

    interface Reconcile {

        /** How often unfinished disk operations and disk sizes are looked at. */
        @WithDefault("5s")
        Duration interval();

        /** An operation started this long ago by an instance that did not finish it is finished by the loop. */
        @WithDefault("90s")
        Duration staleAfter();

        /** How often each workspace's size is read from its vm-agent, and orphan disks are looked for. */
        @WithDefault("60s")
        Duration usageInterval();

        /**
         * A disk on a host that no workspace row (live or deleted) names, older than this, is removed:
         * left by a create undone after its vm-agent call timed out and then succeeded.
         */
        @WithDefault("10m")
        Duration orphanAfter();
    }
}
