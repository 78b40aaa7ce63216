package sh.chaser.common.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A CloudEvent waiting to be relayed to Kafka; written in the transaction of the change it reports. */
@Entity
@Table(name = "outbox")
public class OutboxEventEntity {

    @Id
    public UUID id;
    public String topic;
    @Column(name = "aggregate_id")
    public String aggregateId;
    public String type;
    /** The whole CloudEvent, structured JSON. */
    @Column(columnDefinition = "jsonb")
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    public String payload;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "published_at")
    public OffsetDateTime publishedAt;
}
