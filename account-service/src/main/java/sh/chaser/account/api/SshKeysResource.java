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
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestQuery;
import sh.chaser.account.application.ManageSshKeys;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.Page;
import sh.chaser.account.persistence.SshKeyEntity;
import sh.chaser.common.api.Ids;
import sh.chaser.common.security.InternalCaller;

/** The caller's SSH public keys in this account: what {@code ssh <workspace>@<host>} accepts. */
@Path("/v1/ssh-keys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SshKeysResource {

    public record SshKeyView(UUID id, String name, String keyType, String fingerprint, String publicKey,
            OffsetDateTime createdAt) {

        static SshKeyView of(SshKeyEntity k) {
            return new SshKeyView(k.id, k.name, k.keyType, k.fingerprint, k.publicKey, k.createdAt);
        }
    }

    public record AddSshKey(String publicKey, String name) {}

    @Inject
    InternalCaller caller;
    @Inject
    ManageSshKeys keys;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "added", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SshKeyView.class)))
    public Uni<SshKeyView> add(AddSshKey r) {
        return keys.add(caller, r == null ? null : r.publicKey(), r == null ? null : r.name()).map(SshKeyView::of);
    }

    @GET
    public Uni<Page<SshKeyView>> list(@RestQuery Integer limit, @RestQuery String cursor) {
        return keys.list(caller).map(all -> Lists.page(all.stream().map(SshKeyView::of).toList(),
                SshKeyView::createdAt, SshKeyView::id, limit, cursor));
    }

    @DELETE
    @Path("{key_id}")
    @APIResponse(responseCode = "204", description = "done, no body")
    public Uni<Response> delete(@PathParam("key_id") String id) {
        return keys.delete(caller, Ids.parse(id, ErrorCode.SSH_KEY_NOT_FOUND, "no SSH key " + id + " of yours here"))
                .map(v -> Response.noContent().build());
    }
}
