package sh.chaser.session.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "hosts")
public class HostEntity {

    @Id
    public String id;
    @Column(name = "grpc_address")
    public String grpcAddress;
    public String[] runtimes;
    @Column(name = "agent_version")
    public String agentVersion;
    public int cpus;
    @Column(name = "memory_bytes")
    public long memoryBytes;
    @Column(name = "disk_free_bytes")
    public long diskFreeBytes;
    @Column(name = "sandboxes_running")
    public int sandboxesRunning;
    @Column(name = "sandboxes_max")
    public int sandboxesMax;
    @Column(name = "registered_at")
    public OffsetDateTime registeredAt;
    @Column(name = "last_heartbeat_at")
    public OffsetDateTime lastHeartbeatAt;
    /** SHA-256 (hex) of the host's credential; null until its first registration with one. */
    @Column(name = "credential_hash")
    public String credentialHash;
}
