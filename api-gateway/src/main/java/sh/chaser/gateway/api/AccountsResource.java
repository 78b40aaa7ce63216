package sh.chaser.gateway.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import sh.chaser.gateway.application.Caller;

@Path("/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    @Inject
    Caller caller;

    /** The account this request acts in: the key's account, or the one X-Chaser-Account selects. */
    @GET
    @Path("current")
    public AccountView current() {
        return AccountView.of(caller.principal());
    }
}
