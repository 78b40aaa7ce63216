package sh.chaser.account.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * The gateway's Idempotency-Key records. A claim is one statement, so two replicas racing for the
 * same key cannot both win: the insert takes a free key, or a key whose record is older than 24 h or
 * whose unfinished claim outlived its lease; otherwise the existing record says what to answer.
 */
@ApplicationScoped
public class PgIdempotencyRecords {

    /** What a claim found: {@code claimToken} set when this request holds the record now. */
    public record Found(UUID claimToken, String fingerprint, Integer status, byte[] sealedAnswer) {}

    private static final String CLAIM = """
            INSERT INTO idempotency_records (record_id, account_id, fingerprint, claim_token, lease_until)
            VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond')
            ON CONFLICT (record_id) DO UPDATE SET account_id = EXCLUDED.account_id,
                fingerprint = EXCLUDED.fingerprint, claim_token = EXCLUDED.claim_token,
                lease_until = EXCLUDED.lease_until, status = NULL, sealed_answer = NULL, created_at = now()
            WHERE idempotency_records.created_at < now() - interval '24 hours'
               OR (idempotency_records.status IS NULL AND idempotency_records.lease_until < now())
            RETURNING claim_token""";

    @Inject
    Pool pool;

    public Uni<Found> claim(String recordId, UUID accountId, String fingerprint, long leaseMs) {
        UUID token = UUID.randomUUID();
        return pool.preparedQuery("DELETE FROM idempotency_records WHERE record_id IN (SELECT record_id FROM"
                + " idempotency_records WHERE created_at < now() - interval '24 hours' LIMIT 100)").execute()
                .chain(() -> pool.preparedQuery(CLAIM)
                        .execute(Tuple.of(recordId, accountId, fingerprint, token, leaseMs)))
                .chain(claimed -> claimed.rowCount() == 1
                        ? Uni.createFrom().item(new Found(token, fingerprint, null, null))
                        : pool.preparedQuery("SELECT fingerprint, status, sealed_answer FROM idempotency_records"
                                + " WHERE record_id = $1").execute(Tuple.of(recordId))
                                .map(rows -> rows.rowCount() == 0 ? null : existing(rows.iterator().next())));
    }

    private static Found existing(Row row) {
        Buffer sealed = row.getBuffer("sealed_answer");
        return new Found(null, row.getString("fingerprint"), row.getInteger("status"),
                sealed == null ? null : sealed.getBytes());
    }

    public Uni<Boolean> complete(String recordId, UUID claimToken, int status, byte[] sealedAnswer) {
        return pool.preparedQuery("UPDATE idempotency_records SET status = $3, sealed_answer = $4"
                + " WHERE record_id = $1 AND claim_token = $2 AND status IS NULL")
                .execute(Tuple.of(recordId, claimToken, status, io.vertx.core.buffer.Buffer.buffer(sealedAnswer)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> release(String recordId, UUID claimToken) {
        return pool.preparedQuery("DELETE FROM idempotency_records"
                + " WHERE record_id = $1 AND claim_token = $2 AND status IS NULL")
                .execute(Tuple.of(recordId, claimToken)).map(rows -> rows.rowCount() == 1);
    }
}
