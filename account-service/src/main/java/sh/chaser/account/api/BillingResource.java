package sh.chaser.account.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import sh.chaser.account.application.BillingSummary;
import sh.chaser.common.security.InternalCaller;

/** What the account may use and has used; every member with billing.read sees it. */
@Path("/v1/billing/summary")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class BillingResource {

    @Inject
    InternalCaller caller;
    @Inject
    BillingSummary summary;

    @GET
    public Uni<BillingSummary.Summary> get() {
        return summary.of(caller.accountId());
    }
}
