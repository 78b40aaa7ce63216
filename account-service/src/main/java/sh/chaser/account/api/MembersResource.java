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
import sh.chaser.account.application.ManageMembers;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.Page;
import sh.chaser.common.api.Ids;
import sh.chaser.common.security.InternalCaller;

@Path("/v1/accounts/current/members")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MembersResource {

    /** {@code invited}: the user has no password yet and has never signed in through an identity provider. */
    public record MemberView(String userId, String email, String role, boolean invited, OffsetDateTime createdAt) {

        static MemberView of(ManageMembers.Member m) {
            return new MemberView(m.user().id.toString(), m.user().email, m.membership().role,
                    m.user().passwordHash == null, m.membership().createdAt);
        }
    }

    public record AddMemberRequest(String email, String role) {}

    /** {@code password}: only for invited members, who have none yet. */
    public record UpdateMemberRequest(String role, String password) {}

    @Inject
    InternalCaller caller;
    @Inject
    ManageMembers members;

    @GET
    public Uni<Page<MemberView>> list(@RestQuery Integer limit, @RestQuery String cursor) {
        return members.list(caller).map(ms -> Lists.page(ms.stream().map(MemberView::of).toList(),
                MemberView::createdAt, m -> java.util.UUID.fromString(m.userId()), limit, cursor));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = MemberView.class)))
    public Uni<MemberView> add(AddMemberRequest request) {
        AddMemberRequest r = request == null ? new AddMemberRequest(null, null) : request;
        return members.add(caller, r.email(), r.role() == null ? "member" : r.role()).map(MemberView::of);
    }

    @PATCH
    @Path("{user_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<MemberView> change(@PathParam("user_id") String userId, UpdateMemberRequest request) {
        UpdateMemberRequest r = request == null ? new UpdateMemberRequest(null, null) : request;
        return members.update(caller, parse(userId), r.role(), r.password()).map(MemberView::of);
    }

    @DELETE
    @Path("{user_id}")
    @APIResponse(responseCode = "204", description = "done, no body")
    public Uni<Response> remove(@PathParam("user_id") String userId) {
        return members.remove(caller, parse(userId)).replaceWith(Response.noContent().build());
    }

    private static UUID parse(String id) {
        return Ids.parse(id, ErrorCode.MEMBER_NOT_FOUND, "no member " + id + " in this account");
    }
}
