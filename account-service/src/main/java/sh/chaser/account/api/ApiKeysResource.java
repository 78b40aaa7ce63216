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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestQuery;
import sh.chaser.account.application.ManageApiKeys;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.Page;
import sh.chaser.common.api.Ids;
import sh.chaser.common.security.InternalCaller;

@Path("/v1/api-keys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeysResource {

    @Inject
    InternalCaller caller;
    @Inject
    ManageApiKeys manageApiKeys;

    /** The secret is in this response only. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiKeyView.class)))
    public Uni<ApiKeyView> create(CreateApiKeyRequest request) {
        CreateApiKeyRequest r = request == null ? new CreateApiKeyRequest(null, null) : request;
        return manageApiKeys.create(caller, r.name(), r.scopes())
                .map(issued -> ApiKeyView.of(issued.key(), issued.secret().value()));
    }

    @GET
    public Uni<Page<ApiKeyView>> list(@RestQuery Integer limit, @RestQuery String cursor) {
        return manageApiKeys.list(caller)
                .map(keys -> Lists.page(keys.stream().map(k -> ApiKeyView.of(k, null)).toList(),
                        ApiKeyView::createdAt, k -> UUID.fromString(k.id()), limit, cursor));
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "204", description = "done, no body")
    public Uni<Response> revoke(@PathParam("id") String id) {
        return manageApiKeys
                .revoke(caller, Ids.parse(id, ErrorCode.API_KEY_NOT_FOUND, "no API key " + id + " in this account"))
                .replaceWith(Response.noContent().build());
    }
}
