package sh.chaser.account.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestQuery;
import sh.chaser.account.application.ManageWebhooks;
import sh.chaser.account.application.WebhookDeliveries;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.Page;
import sh.chaser.common.api.Ids;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.security.InternalCaller;

/** API.md section 7: an account's webhooks and what was delivered to them. */
@Path("/v1/webhooks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {

    public record CreateWebhook(String url, List<String> events, String description) {}

    @Inject
    InternalCaller caller;
    @Inject
    ManageWebhooks webhooks;
    @Inject
    WebhookDeliveries deliveries;

    /** The signing secret is in this response only. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = WebhookView.class)))
    public Uni<WebhookView> create(CreateWebhook request) {
        if (request == null) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "a JSON body with url and events is required", "url");
        }
        return webhooks.create(caller, request.url(), request.events(), request.description())
                .map(created -> WebhookView.of(created.webhook(), created.secret()));
    }

    @GET
    public Uni<Page<WebhookView>> list(@RestQuery Integer limit, @RestQuery String cursor) {
        return webhooks.list(caller).map(all -> Lists.page(all.stream().map(w -> WebhookView.of(w, null)).toList(),
                WebhookView::createdAt, w -> UUID.fromString(w.id()), limit, cursor));
    }

    @GET
    @Path("{id}")
    public Uni<WebhookView> get(@PathParam("id") String id) {
        return webhooks.get(caller, parse(id)).map(w -> WebhookView.of(w, null));
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "204", description = "done, no body")
    public Uni<Response> delete(@PathParam("id") String id) {
        return webhooks.delete(caller, parse(id)).replaceWith(Response.noContent().build());
    }

    /** Newest first, each with every attempt; {@code next_cursor} pages on. */
    @GET
    @Path("{id}/deliveries")
    public Uni<Page<WebhookDeliveries.DeliveryView>> deliveries(@PathParam("id") String id, @RestQuery Integer limit,
            @RestQuery String cursor) {
        UUID webhookId = parse(id);
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 500) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "limit must be 1 to 500", "limit");
        }
        return webhooks.get(caller, webhookId).chain(w -> deliveries.page(w.id, size, cursor));
    }

    private static UUID parse(String id) {
        return Ids.parse(id, ErrorCode.WEBHOOK_NOT_FOUND, "no webhook " + id + " in this account");
    }
}
