package sh.chaser.account.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestQuery;
import sh.chaser.account.application.CallerRules;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.Page;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.security.InternalCaller;

/** The account's audit trail, newest first; owners and admins read it. */
@Path("/v1/audit/events")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    public record AuditEventView(String id, String actorType, String actorId, String action, String resourceType,
            String resourceId, String status, String summary, Map<String, Object> metadata, OffsetDateTime createdAt) {

        static AuditEventView of(Row r) {
            return new AuditEventView(r.getUUID("id").toString(), r.getString("actor_type"), r.getString("actor_id"),
                    r.getString("action"), r.getString("resource_type"), r.getString("resource_id"),
                    r.getString("status"), r.getString("summary"), r.getJsonObject("metadata").getMap(),
                    r.getOffsetDateTime("created_at"));
        }
    }

    @Inject
    InternalCaller caller;
    @Inject
    Pool pool;

    /** {@code next_cursor} is the {@code before} value of the next page, when there may be one. */
    @GET
    public Uni<Page<AuditEventView>> list(@RestQuery String action, @QueryParam("resource_type") String resourceType,
            @QueryParam("resource_id") String resourceId, @RestQuery String status, @RestQuery String before,
            @RestQuery Integer limit) {
        CallerRules.requireOwnerOrAdmin(caller, "only owners and admins read the audit log");
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 500) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "limit must be 1 to 500", "limit");
        }
        if (status != null && !status.equals("success") && !status.equals("failure")) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "status must be success or failure", "status");
        }
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_events WHERE account_id = $1");
        List<Object> args = new ArrayList<>(List.of(caller.accountId()));
        filter(sql, args, "action", action);
        filter(sql, args, "resource_type", resourceType);
        filter(sql, args, "resource_id", resourceId);
        filter(sql, args, "status", status);
        if (before != null) {
            try {
                args.add(OffsetDateTime.parse(before));
            } catch (DateTimeParseException e) {
                throw new ServiceException(ErrorCode.INVALID_REQUEST, "before must be an RFC 3339 timestamp", "before");
            }
            sql.append(" AND created_at < $").append(args.size());
        }
        sql.append(" ORDER BY created_at DESC LIMIT ").append(size);
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
            List<AuditEventView> data = new ArrayList<>();
            rows.forEach(r -> data.add(AuditEventView.of(r)));
            String next = data.size() == size ? data.get(data.size() - 1).createdAt().toString() : null;
            return new Page<>(data, next);
        });
    }

    private static void filter(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null && !value.isBlank()) {
            args.add(value);
            sql.append(" AND ").append(column).append(" = $").append(args.size());
        }
    }
}
