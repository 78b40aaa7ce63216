package sh.chaser.workspace.api;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import sh.chaser.common.api.Page;
import sh.chaser.common.security.Actor;
import sh.chaser.common.security.InternalCaller;
import sh.chaser.workspace.application.WorkspaceSnapshots;

/** Restore points of one workspace; {@code force} ends the session holding it first. */
@Path("/v1/workspaces/{workspace}/snapshots")
@Authenticated
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class SnapshotsResource {

    @Inject
    InternalCaller caller;
    @Inject
    WorkspaceSnapshots snapshots;

    @GET
    public Page<SnapshotView> list(@PathParam("workspace") String selector,
            @jakarta.ws.rs.QueryParam("limit") Integer limit, @jakarta.ws.rs.QueryParam("cursor") String cursor) {
        return sh.chaser.common.api.Paging.page(snapshots.list(Actor.of(caller), selector).snapshots().stream()
                .map(SnapshotView::of).toList(), SnapshotView::createdAt, SnapshotView::id, limit, cursor,
                sh.chaser.workspace.domain.ErrorCode.INVALID_REQUEST);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SnapshotView.class)))
    public Response create(@PathParam("workspace") String selector, Requests.CreateSnapshot r) {
        if (r == null || r.name() == null) {
            throw WorkspacesResource.invalid("a snapshot name is required", "name");
        }
        var made = snapshots.create(Actor.of(caller), selector, r.name(), Requests.yes(r.force()));
        return Response.status(201).entity(SnapshotView.of(made)).build();
    }

    @POST
    @Path("{name}/restore")
    public WorkspaceView restore(@PathParam("workspace") String selector, @PathParam("name") String name,
            Requests.Force r) {
        return WorkspaceView
                .of(snapshots.restore(Actor.of(caller), selector, name, r != null && Requests.yes(r.force())));
    }

    @DELETE
    @Path("{name}")
    @APIResponse(responseCode = "204", description = "done, no body")
    public Response delete(@PathParam("workspace") String selector, @PathParam("name") String name) {
        snapshots.delete(Actor.of(caller), selector, name);
        return Response.noContent().build();
    }
}
