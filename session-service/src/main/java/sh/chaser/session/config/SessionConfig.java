package sh.chaser.session.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "chaser.session")
public interface SessionConfig {

    Hosts hosts();

    Boot boot();

    Reconcile reconcile();

    Leases leases();

    Endpoints endpoints();

    Jobs jobs();

    interface Jobs {

        /** Executions at once on this replica. */
        @WithDefault("4")
        int threads();

        /** A replica silent for six of these has its executions revived by another. */
        @WithDefault("2s")
        Duration heartbeat();

        @WithDefault("1s")
        Duration polling();
    }

    interface Hosts {

        /**
         * The runtime a session runs on when its create names none (namespace, qemu, firecracker;
         * {@code CHASER_SESSION_HOSTS_DEFAULT_RUNTIME}); empty: any live host, whatever it runs.
         */
        java.util.Optional<String> defaultRuntime();

        /**
         * The file holding the installation's host join token ({@code CHASER_HOST_JOIN_TOKEN_FILE}):
         * a vm-agent registers only with it. Unset: no host can register.
         */
        java.util.Optional<java.nio.file.Path> joinTokenFile();

        /**
         * The port where a vm-agent joins (TLS with this service's certificate, no client
         * certificate: the agent has none yet) and receives its own ({@code CHASER_JOIN_PORT}).
         * Unset, or without an issuer: agents bring certificates of their own.
         */
        java.util.Optional<Integer> joinPort();

        /** The agent issuer's certificate (PEM; a CA under the installation's, for vm-agent/* only). */
        java.util.Optional<java.nio.file.Path> agentIssuerCertFile();

        /** The agent issuer's private key (PEM, PKCS#8). */
        java.util.Optional<java.nio.file.Path> agentIssuerKeyFile();

        /** How often vm-agents are told to heartbeat. */
        @WithDefault("5")
        int heartbeatIntervalSeconds();

        /**
         * A host not heard from for this long is no longer offered for placement, and the reconcile
         * loop ends its sessions (host_lost) and releases their workspaces.
         */
        @WithDefault("30")
        int lostAfterSeconds();
    }

    interface Boot {

        /** How long POST /v1/sessions waits for the VM; beyond it the answer says creating and the boot goes on. */
        @WithDefault("30s")
        Duration deadline();

        /** Deadline of every other vm-agent call (destroy, get, list). */
        @WithDefault("10s")
        Duration agentDeadline();
    }

    interface Reconcile {

        /** How often the database is compared with what every vm-agent runs. */
        @WithDefault("2s")
        Duration interval();

        /**
         * A session still creating this long after it was created, with no VM on its host, never
         * reached the agent (a crash between two steps): it ends with boot_failed. Same age for a
         * reserved workspace lock left behind.
         */
        @WithDefault("20s")
        Duration staleAfter();
    }

    interface Leases {

        /** A lease not renewed within this time has expired (its holder died). */
        @WithDefault("15s")
        Duration ttl();
    }

    interface Endpoints {

        /** The public API's base URL: path-style endpoints are {@code <api-url>/s/<id>/}. */
        @WithDefault("http://localhost:8080")
        String apiUrl();

        /**
         * Subdomain-style endpoints are {@code <scheme>://<id>.<session-domain>/}; empty: the API
         * URL's host without a leading "api." (with its port).
         */
        java.util.Optional<String> sessionDomain();
    }
}
