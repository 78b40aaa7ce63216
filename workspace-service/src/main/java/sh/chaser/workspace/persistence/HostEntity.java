package sh.chaser.workspace.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A vm-agent host as last reported on chaser.hosts.v1. */
@Entity
@Table(name = "hosts")
public class HostEntity {

    @Id
    public String id;
    @Column(name = "grpc_address")
    public String grpcAddress;
    public String[] runtimes;
    @Column(name = "disk_free_bytes")
    public long diskFreeBytes;
    @Column(name = "reported_at")
    public OffsetDateTime reportedAt;
}
