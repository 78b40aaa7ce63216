package sh.chaser.account.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.UUID;
import sh.chaser.account.application.AccountLimitsStore;
import sh.chaser.account.application.SetAccountLimits;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.common.api.Ids;
import sh.chaser.common.security.InternalCaller;

/** The installation's operators read and set any account's limits. */
@Path("/v1/admin/accounts/{account_id}/limits")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AccountLimitsResource {

    public record LimitsView(String accountId, boolean custom, Map<String, Object> limits) {}

    @Inject
    InternalCaller caller;
    @Inject
    SetAccountLimits setLimits;
    @Inject
    AccountLimitsStore store;

    @GET
    public Uni<LimitsView> get(@PathParam("account_id") String accountId) {
        UUID id = parse(accountId);
        return setLimits.requireOperator(caller).chain(() -> view(id));
    }

    /** {@code {"concurrent_sessions": 2, "workspace_storage_bytes": null, ...}}: null means the default. */
    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<LimitsView> update(@PathParam("account_id") String accountId, JsonNode body) {
        UUID id = parse(accountId);
        return setLimits.requireOperator(caller).chain(() -> setLimits.update(caller, id, body)).chain(() -> view(id));
    }

    private Uni<LimitsView> view(UUID id) {
        return store.of(id).map(r -> new LimitsView(id.toString(), r.custom(), r.limits().toClaim()));
    }

    private static UUID parse(String id) {
        return Ids.parse(id, ErrorCode.ACCOUNT_NOT_FOUND, "no account " + id);
    }
}
