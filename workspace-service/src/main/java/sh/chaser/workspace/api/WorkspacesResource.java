package sh.chaser.workspace.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import sh.chaser.common.api.Cursor;
import sh.chaser.common.api.Page;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.common.security.InternalCaller;
import sh.chaser.workspace.application.CreateWorkspace;
import sh.chaser.workspace.application.DeleteWorkspace;
import sh.chaser.workspace.application.ImportWorkspace;
import sh.chaser.workspace.application.UpdateWorkspace;
import sh.chaser.workspace.application.WorkspaceLookup;
import sh.chaser.workspace.domain.ErrorCode;

/** API.md section 5, workspaces themselves; disk work makes these blocking, on worker threads. */
@Path("/v1/workspaces")
@Authenticated
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class WorkspacesResource {

    @Inject
    InternalCaller caller;
    @Inject
    CreateWorkspace create;
    @Inject
    ImportWorkspace importer;
    @Inject
    UpdateWorkspace update;
    @Inject
    DeleteWorkspace deleter;
    @Inject
    WorkspaceLookup lookup;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = WorkspaceView.class)))
    public Response create(Requests.CreateWorkspace r) {
        if (r == null) {
            throw invalid("a JSON body is required", null);
        }
        Actor actor = Actor.of(caller);
        if (r.cloneFrom() != null) {
            if (r.runtime() != null) {
                throw invalid("a clone stays on its source's host; runtime is for a fresh workspace", "runtime");
            }
            if (r.sessionType() != null || r.image() != null) {
                throw invalid("a clone inherits session_type and image from its source",
                        r.image() != null ? "image" : "session_type");
            }
            return created(WorkspaceView
                    .of(create.cloneOf(actor, caller.limits(), r.cloneFrom(), r.name(), Requests.yes(r.force()))));
        }
        return created(WorkspaceView.of(
                create.fresh(actor, caller.limits(), r.sessionType(), r.name(), r.image(), Requests.yes(r.template()),
                        r.runtime())));
    }

    @POST
    @Path("import")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "the import started; status importing", content = @Content(mediaType = "application/json", schema = @Schema(implementation = WorkspaceView.class)))
    public Response importRepository(Requests.ImportWorkspace r) {
        if (r == null) {
            throw invalid("a JSON body with github_repo is required", "github_repo");
        }
        return Response.accepted(
                WorkspaceView.of(importer.start(Actor.of(caller), caller.limits(), r.githubRepo(), r.name(), r.ref(),
                        r.runtime())))
                .build();
    }

    @GET
    @APIResponse(responseCode = "200", description = "newest first; with ?format=array the bare array of WorkspaceView", content = @Content(mediaType = "application/json", schema = @Schema(implementation = WorkspacesPage.class)))
    public Object list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor,
            @QueryParam("format") String format) {
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 500) {
            throw invalid("limit must be between 1 and 500", "limit");
        }
        Cursor after = Cursor.decode(cursor, ErrorCode.INVALID_REQUEST);
        // one more than asked tells whether a next page exists
        var rows = Tx.read(() -> lookup.page(caller.accountId(), n + 1, after == null ? null : after.createdAt(),
                after == null ? null : after.id()));
        List<WorkspaceView> views = rows.stream().limit(n).map(WorkspaceView::of).toList();
        if ("array".equals(format)) {
            return views;
        }
        WorkspaceView last = views.isEmpty() ? null : views.get(views.size() - 1);
        return new Page<>(views, rows.size() > n ? new Cursor(last.createdAt(), last.id()).encode() : null);
    }

    @GET
    @Path("{workspace}")
    public WorkspaceView get(@PathParam("workspace") String selector) {
        return WorkspaceView.of(Tx.read(() -> lookup.resolve(caller.accountId(), selector)));
    }

    @PUT
    @Path("{workspace}/name")
    @Consumes(MediaType.APPLICATION_JSON)
    public WorkspaceView rename(@PathParam("workspace") String selector, JsonNode body) {
        if (body == null || !body.isObject() || !body.has("name")
                || !(body.get("name").isNull() || body.get("name").isTextual())) {
            throw invalid("the body must be {\"name\": \"...\"} or {\"name\": null}", "name");
        }
        String name = body.get("name").isNull() ? null : body.get("name").asText();
        return WorkspaceView.of(update.rename(Actor.of(caller), selector, name));
    }

    @PUT
    @Path("{workspace}/template")
    @Consumes(MediaType.APPLICATION_JSON)
    public WorkspaceView template(@PathParam("workspace") String selector, Requests.SetTemplate r) {
        if (r == null || r.template() == null) {
            throw invalid("the body must be {\"template\": true|false}", "template");
        }
        return WorkspaceView.of(update.template(Actor.of(caller), selector, r.template()));
    }

    @DELETE
    @Path("{workspace}")
    @APIResponse(responseCode = "204", description = "done, no body")
    public Response delete(@PathParam("workspace") String selector, @QueryParam("force") boolean force) {
        deleter.delete(Actor.of(caller), selector, force);
        return Response.noContent().build();
    }

    @POST
    @Path("bulk-delete")
    @Consumes(MediaType.APPLICATION_JSON)
    public DeleteWorkspace.BulkResult bulkDelete(Requests.BulkDelete r) {
        if (r == null || r.workspaceIds() == null || r.workspaceIds().isEmpty() || r.workspaceIds().size() > 500) {
            throw invalid("workspace_ids must list 1 to 500 workspaces", "workspace_ids");
        }
        return deleter.bulk(Actor.of(caller), r.workspaceIds(), Requests.yes(r.force()));
    }

    static ServiceException invalid(String message, String field) {
        return new ServiceException(ErrorCode.INVALID_REQUEST, message, field);
    }

    private static Response created(Object body) {
        return Response.status(201).entity(body).build();
    }
}
