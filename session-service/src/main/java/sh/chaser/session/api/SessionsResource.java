package sh.chaser.session.api;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import sh.chaser.common.api.Cursor;
import sh.chaser.common.api.Page;
import sh.chaser.common.security.Actor;
import sh.chaser.common.security.InternalCaller;
import sh.chaser.session.application.CreateSession;
import sh.chaser.session.application.SessionLookup;
import sh.chaser.session.application.SessionQueries;
import sh.chaser.session.application.TerminateSession;
import sh.chaser.session.application.WorkspaceLocks;
import sh.chaser.session.domain.CreateRules;
import sh.chaser.session.domain.ErrorCode;

/** API.md section 3: sessions. Boots and agent calls make these blocking, on worker threads. */
@Path("/v1/sessions")
@Authenticated
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource {

    private static final Set<String> STATUSES = Set.of("creating", "running", "paused", "resuming", "terminated");

    @Inject
    InternalCaller caller;
    @Inject
    CreateSession creator;
    @Inject
    TerminateSession terminator;
    @Inject
    SessionLookup lookup;
    @Inject
    SessionQueries queries;
    @Inject
    WorkspaceLocks workspaces;
    @Inject
    Views views;
    @Inject
    sh.chaser.session.application.PauseSession pauses;
    @Inject
    sh.chaser.session.application.ForkSession forks;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "the session runs", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionView.class)))
    @APIResponse(responseCode = "200", description = "the workspace's live session", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionView.class)))
    @APIResponse(responseCode = "202", description = "status creating: the boot goes on", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionView.class)))
    public Response create(Requests.CreateSession r) {
        if (r == null) {
            throw ErrorCode.INVALID_REQUEST.exception("a JSON body with session_type is required", "session_type");
        }
        var checked = CreateRules.check(r.sessionType(), r.workspace(), r.ephemeral(), r.image(), r.env(), r.runtime());
        var created = creator.create(Actor.of(caller), caller.limits(), checked);
        return Response.status(created.fresh() ? 201 : 200).entity(created.fresh()
                ? views.fresh(created.session())
                : views.of(created.session())).build();
    }

    @GET
    public Page<SessionView> list(@QueryParam("status") String status, @QueryParam("session_type") String sessionType,
            @QueryParam("workspace") String workspace, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        if (status != null && !STATUSES.contains(status)) {
            throw ErrorCode.INVALID_REQUEST
                    .exception("status must be creating, running, paused, resuming or terminated", "status");
        }
        if (sessionType != null && !Set.of("sandbox", "browser").contains(sessionType)) {
            throw ErrorCode.INVALID_REQUEST.exception("session_type must be sandbox or browser", "session_type");
        }
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 500) {
            throw ErrorCode.INVALID_REQUEST.exception("limit must be between 1 and 500", "limit");
        }
        UUID workspaceId = workspace == null || workspace.isBlank()
                ? null
                : workspaces.resolve(caller.accountId(), workspace);
        Cursor after = Cursor.decode(cursor, ErrorCode.INVALID_REQUEST);
        var rows = queries.page(caller.accountId(), status, sessionType, workspaceId, n + 1,
                after == null ? null : after.createdAt(), after == null ? null : after.id());
        List<SessionView> page = views.of(rows.stream().limit(n).toList());
        SessionView last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new Page<>(page, rows.size() > n ? new Cursor(last.createdAt(), last.id()).encode() : null);
    }

    @GET
    @Path("{id}")
    public SessionView get(@PathParam("id") String id) {
        return views.of(lookup.reconciled(caller.accountId(), SessionLookup.parse(id)));
    }

    @DELETE
    @Path("{id}")
    public SessionView terminate(@PathParam("id") String id, @QueryParam("force") boolean force) {
        return views.of(terminator.terminate(Actor.of(caller), SessionLookup.parse(id), force));
    }

    @POST
    @Path("{id}/pause")
    @APIResponse(responseCode = "200", description = "status paused: its memory and disk saved, nothing of it runs", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionView.class)))
    public SessionView pause(@PathParam("id") String id, @QueryParam("force") boolean force) {
        return views.of(pauses.pause(Actor.of(caller), SessionLookup.parse(id), force));
    }

    @POST
    @Path("{id}/fork")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "count new running sessions started from the session's memory and disk", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionView.Forks.class)))
    public jakarta.ws.rs.core.Response fork(@PathParam("id") String id, @QueryParam("force") boolean force,
            Requests.Fork body) {
        var children = forks.fork(Actor.of(caller), caller.limits(), SessionLookup.parse(id),
                body == null ? null : body.count(), force);
        return jakarta.ws.rs.core.Response.status(201)
                .entity(new SessionView.Forks(children.stream().map(views::fresh).toList())).build();
    }

    @POST
    @Path("{id}/resume")
    @APIResponse(responseCode = "200", description = "status running again, where it was paused", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionView.class)))
    public SessionView resume(@PathParam("id") String id) {
        return views.of(pauses.resume(Actor.of(caller), caller.limits(), SessionLookup.parse(id)));
    }

    @POST
    @Path("bulk-terminate")
    @Consumes(MediaType.APPLICATION_JSON)
    public TerminateSession.BulkResult bulkTerminate(Requests.BulkTerminate r) {
        if (r == null || (empty(r.ids()) && empty(r.workspaces()) && !Requests.yes(r.all()))) {
            throw ErrorCode.INVALID_REQUEST.exception("name sessions with ids, workspaces, or all: true", "ids");
        }
        int named = (r.ids() == null ? 0 : r.ids().size()) + (r.workspaces() == null ? 0 : r.workspaces().size());
        if (named > 500) {
            throw ErrorCode.INVALID_REQUEST.exception("at most 500 ids and workspaces", "ids");
        }
        if (r.sessionType() != null && !Set.of("sandbox", "browser").contains(r.sessionType())) {
            throw ErrorCode.INVALID_REQUEST.exception("session_type must be sandbox or browser", "session_type");
        }
        return terminator.bulk(Actor.of(caller), r.ids() == null ? List.of() : r.ids(),
                r.workspaces() == null ? List.of() : r.workspaces(), Requests.yes(r.all()), r.sessionType(),
                Requests.yes(r.force()));
    }

    private static boolean empty(List<String> list) {
        return list == null || list.isEmpty();
    }
}
