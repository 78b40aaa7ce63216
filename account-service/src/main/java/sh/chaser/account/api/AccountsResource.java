package sh.chaser.account.api;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.persistence.PgAccountRepository;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.security.InternalCaller;

@Path("/v1/accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    @Inject
    InternalCaller caller;
    @Inject
    PgAccountRepository accounts;

    /** The account this request acts in. */
    @GET
    @Path("current")
    @WithSession
    public Uni<AccountView> current() {
        return accounts.findById(caller.accountId())
                .onItem().ifNull().failWith(() -> new ServiceException(ErrorCode.ACCOUNT_NOT_FOUND, "account not found"))
                .map(a -> AccountView.of(a, caller.role()));
    }

    /** Every account the calling user is a member of; a service account sees only its own. */
    @GET
    @WithSession
    public Uni<Page<AccountView>> list() {
        if (!caller.isUser()) {
            return current().map(a -> Page.of(java.util.List.of(a)));
        }
        return accounts.findForUser(caller.principalId())
                .map(rows -> Page.of(rows.stream().map(r -> AccountView.of(r.account(), r.role())).toList()));
    }
}
