package sh.chaser.account.api;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import sh.chaser.account.application.AccountDirectory;
import sh.chaser.account.application.CreateOrganization;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.Page;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.security.InternalCaller;

@Path("/v1/accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    @Inject
    InternalCaller caller;
    @Inject
    AccountDirectory accounts;
    @Inject
    CreateOrganization createOrganization;

    public record CreateOrganizationRequest(String name) {}

    /** The caller becomes the owner. Select it afterwards with X-Chaser-Account (sign-in tokens). */
    @POST
    @Path("organizations")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = AccountView.class)))
    public Uni<AccountView> createOrganization(CreateOrganizationRequest request) {
        return createOrganization.create(caller, request == null ? null : request.name())
                .map(org -> AccountView.of(org, "owner"));
    }

    /** The account this request acts in. */
    @GET
    @Path("current")
    @WithSession
    public Uni<AccountView> current() {
        return accounts.find(caller.accountId())
                .onItem().ifNull()
                .failWith(() -> new ServiceException(ErrorCode.ACCOUNT_NOT_FOUND, "account not found"))
                .map(a -> AccountView.of(a, caller.role()));
    }

    /** Every account the calling user is a member of; a service account sees only its own. */
    @GET
    @WithSession
    public Uni<Page<AccountView>> list() {
        if (!caller.isUser()) {
            return current().map(a -> Page.of(java.util.List.of(a)));
        }
        return accounts.memberships(caller.principalId())
                .map(rows -> Page.of(rows.stream().map(r -> AccountView.of(r.account(), r.role())).toList()));
    }
}
