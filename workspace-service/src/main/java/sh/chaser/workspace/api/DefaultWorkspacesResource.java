package sh.chaser.workspace.api;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.common.security.InternalCaller;
import sh.chaser.workspace.application.DefaultWorkspaces;

/** The account's default workspace per session type: where requests naming no workspace run. */
@Path("/v1/workspaces/default")
@Authenticated
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class DefaultWorkspacesResource {

    @Inject
    InternalCaller caller;
    @Inject
    DefaultWorkspaces defaults;

    /** Both defaults (those set), or the one of {@code ?session_type=}. */
    @GET
    public DefaultWorkspaceView.Page list(@QueryParam("session_type") String sessionType) {
        return new DefaultWorkspaceView.Page(Tx.read(() -> defaults.list(caller.accountId(), sessionType)).stream()
                .map(DefaultWorkspaceView::of).toList(), null);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public DefaultWorkspaceView set(Requests.SetDefault r) {
        if (r == null || r.workspace() == null || r.workspace().isBlank()) {
            throw WorkspacesResource.invalid("the body must be {\"session_type\": \"sandbox\"|\"browser\","
                    + " \"workspace\": \"<name or id>\"}", "workspace");
        }
        return DefaultWorkspaceView.of(defaults.set(Actor.of(caller), r.sessionType(), r.workspace()));
    }

    @DELETE
    @APIResponse(responseCode = "204", description = "no default of that type any more (also when there was none)")
    public Response clear(@QueryParam("session_type") String sessionType) {
        if (sessionType == null) {
            throw WorkspacesResource.invalid("name the default to clear: ?session_type=sandbox|browser",
                    "session_type");
        }
        defaults.clear(Actor.of(caller), sessionType);
        return Response.noContent().build();
    }
}
