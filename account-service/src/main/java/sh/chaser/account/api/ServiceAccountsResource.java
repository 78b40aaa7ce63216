package sh.chaser.account.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestQuery;
import sh.chaser.account.application.ManageServiceAccounts;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.Page;
import sh.chaser.account.persistence.ServiceAccountEntity;
import sh.chaser.common.api.Ids;
import sh.chaser.common.security.InternalCaller;

@Path("/v1/accounts/current/service-accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ServiceAccountsResource {

    public record ServiceAccountView(String id, String name, boolean disabled, OffsetDateTime createdAt) {

        static ServiceAccountView of(ServiceAccountEntity sa) {
            return new ServiceAccountView(sa.id.toString(), sa.name, sa.disabled, sa.createdAt);
        }
    }

    /** A key of a service account, as created: the secret once, and whose key it is. */
    public record ServiceAccountKeyView(String id, String key, String keyPrefix, String name,
            java.util.List<String> scopes, boolean fullAccess, String serviceAccount, OffsetDateTime createdAt) {}

    public record CreateRequest(String name) {}

    public record UpdateRequest(Boolean disabled) {}

    @Inject
    InternalCaller caller;
    @Inject
    ManageServiceAccounts manage;

    @GET
    public Uni<Page<ServiceAccountView>> list(@RestQuery Integer limit, @RestQuery String cursor) {
        return manage.list(caller).map(all -> Lists.page(all.stream().map(ServiceAccountView::of).toList(),
                ServiceAccountView::createdAt, s -> java.util.UUID.fromString(s.id()), limit, cursor));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ServiceAccountView.class)))
    public Uni<ServiceAccountView> create(CreateRequest request) {
        return manage.create(caller, request == null ? null : request.name()).map(ServiceAccountView::of);
    }

    @PATCH
    @Path("{sa_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ServiceAccountView> update(@PathParam("sa_id") String id, UpdateRequest request) {
        return manage.setDisabled(caller, parse(id), request == null ? null : request.disabled())
                .map(ServiceAccountView::of);
    }

    @DELETE
    @Path("{sa_id}")
    @APIResponse(responseCode = "204", description = "done, no body")
    public Uni<Response> delete(@PathParam("sa_id") String id) {
        return manage.delete(caller, parse(id)).replaceWith(Response.noContent().build());
    }

    @GET
    @Path("{sa_id}/keys")
    public Uni<Page<ApiKeyView>> keys(@PathParam("sa_id") String id, @RestQuery Integer limit,
            @RestQuery String cursor) {
        return manage.listKeys(caller, parse(id)).map(keys -> Lists.page(keys.stream()
                .map(k -> ApiKeyView.of(k, null)).toList(), ApiKeyView::createdAt,
                k -> java.util.UUID.fromString(k.id()), limit, cursor));
    }

    @POST
    @Path("{sa_id}/keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ServiceAccountKeyView.class)))
    public Uni<ServiceAccountKeyView> createKey(@PathParam("sa_id") String id, CreateApiKeyRequest request) {
        CreateApiKeyRequest r = request == null ? new CreateApiKeyRequest(null, null) : request;
        return manage.createKey(caller, parse(id), r.name(), r.scopes()).map(issued -> {
            ApiKeyView v = ApiKeyView.of(issued.key(), issued.secret().value());
            return new ServiceAccountKeyView(v.id(), v.key(), v.keyPrefix(), v.name(), v.scopes(), v.fullAccess(), id,
                    v.createdAt());
        });
    }

    @DELETE
    @Path("{sa_id}/keys/{key_id}")
    @APIResponse(responseCode = "204", description = "done, no body")
    public Uni<Response> revokeKey(@PathParam("sa_id") String id, @PathParam("key_id") String keyId) {
        return manage.revokeKey(caller, parse(id), parseKey(keyId)).replaceWith(Response.noContent().build());
    }

    private static UUID parse(String id) {
        return Ids.parse(id, ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "no service account " + id + " here");
    }

    private static UUID parseKey(String id) {
        return Ids.parse(id, ErrorCode.API_KEY_NOT_FOUND, "no key " + id + " of this service account");
    }
}
