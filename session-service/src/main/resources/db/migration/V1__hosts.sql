-- vm-agent hosts: registered on start, kept fresh by heartbeats.
CREATE TABLE hosts (
    id                  text PRIMARY KEY,
    grpc_address        text NOT NULL,
    runtimes            text[] NOT NULL,
    agent_version       text,
    cpus                integer NOT NULL,
    memory_bytes        bigint NOT NULL,
    disk_free_bytes     bigint NOT NULL,
    sandboxes_running   integer NOT NULL,
    sandboxes_max       integer NOT NULL,
    registered_at       timestamptz NOT NULL,
    last_heartbeat_at   timestamptz NOT NULL
);
