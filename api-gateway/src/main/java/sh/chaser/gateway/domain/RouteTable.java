package sh.chaser.gateway.domain;

import static sh.chaser.contracts.Scopes.AUDIT_READ;
import static sh.chaser.contracts.Scopes.BILLING_READ;
import static sh.chaser.contracts.Scopes.BILLING_WRITE;
import static sh.chaser.contracts.Scopes.EXEC_WRITE;
import static sh.chaser.contracts.Scopes.FILES_READ;
import static sh.chaser.contracts.Scopes.FILES_WRITE;
import static sh.chaser.contracts.Scopes.FULL_ACCESS;
import static sh.chaser.contracts.Scopes.KEYS_READ;
import static sh.chaser.contracts.Scopes.KEYS_WRITE;
import static sh.chaser.contracts.Scopes.SESSIONS_READ;
import static sh.chaser.contracts.Scopes.SESSIONS_WRITE;
import static sh.chaser.contracts.Scopes.WEBHOOKS_READ;
import static sh.chaser.contracts.Scopes.WEBHOOKS_WRITE;
import static sh.chaser.contracts.Scopes.WORKSPACES_READ;
import static sh.chaser.contracts.Scopes.WORKSPACES_WRITE;
import static sh.chaser.gateway.domain.Backend.ACCOUNT;
import static sh.chaser.gateway.domain.Backend.GATEWAY;
import static sh.chaser.gateway.domain.Backend.HOST;
import static sh.chaser.gateway.domain.Backend.SESSION;
import static sh.chaser.gateway.domain.Backend.WORKSPACE;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Every public /v1 route, the service that owns it and the scope it needs: the one place that says so. */
public final class RouteTable {

    public static final List<Route> ROUTES = List.of(
            // Accounts, members, service accounts: roles decide inside account-service; changing members,
            // organizations or a password needs a full-access credential besides.
            route("GET", "/v1/accounts", ACCOUNT, null),
            route("GET", "/v1/accounts/current", ACCOUNT, null),
            route("POST", "/v1/accounts/organizations", ACCOUNT, FULL_ACCESS),
            route("GET", "/v1/accounts/current/members", ACCOUNT, null),
            route("POST", "/v1/accounts/current/members", ACCOUNT, FULL_ACCESS),
            route("PATCH", "/v1/accounts/current/members/{user_id}", ACCOUNT, FULL_ACCESS),
            route("DELETE", "/v1/accounts/current/members/{user_id}", ACCOUNT, FULL_ACCESS),
            route("GET", "/v1/accounts/current/service-accounts", ACCOUNT, KEYS_READ),
            route("POST", "/v1/accounts/current/service-accounts", ACCOUNT, KEYS_WRITE),
            route("PATCH", "/v1/accounts/current/service-accounts/{sa_id}", ACCOUNT, KEYS_WRITE),
            route("DELETE", "/v1/accounts/current/service-accounts/{sa_id}", ACCOUNT, KEYS_WRITE),
            route("GET", "/v1/accounts/current/service-accounts/{sa_id}/keys", ACCOUNT, KEYS_READ),
            route("POST", "/v1/accounts/current/service-accounts/{sa_id}/keys", ACCOUNT, KEYS_WRITE),
            route("DELETE", "/v1/accounts/current/service-accounts/{sa_id}/keys/{key_id}", ACCOUNT, KEYS_WRITE),
            route("GET", "/v1/api-keys", ACCOUNT, KEYS_READ),
            route("POST", "/v1/api-keys", ACCOUNT, KEYS_WRITE),
            route("DELETE", "/v1/api-keys/{id}", ACCOUNT, KEYS_WRITE),
            route("GET", "/v1/ssh-keys", ACCOUNT, KEYS_READ),
            route("POST", "/v1/ssh-keys", ACCOUNT, KEYS_WRITE),
            route("DELETE", "/v1/ssh-keys/{key_id}", ACCOUNT, KEYS_WRITE),
            open("POST", "/v1/auth/login", ACCOUNT),
            open("GET", "/v1/auth/jwks", ACCOUNT),
            route("POST", "/v1/auth/password", ACCOUNT, FULL_ACCESS),
            route("GET", "/v1/audit/events", ACCOUNT, AUDIT_READ),
            route("GET", "/v1/webhooks", ACCOUNT, WEBHOOKS_READ),
            route("POST", "/v1/webhooks", ACCOUNT, WEBHOOKS_WRITE),
            route("DELETE", "/v1/webhooks/{id}", ACCOUNT, WEBHOOKS_WRITE),
            route("GET", "/v1/webhooks/{id}/deliveries", ACCOUNT, WEBHOOKS_READ),
            route("GET", "/v1/billing/summary", ACCOUNT, BILLING_READ),
            route("GET", "/v1/webhooks/{id}", ACCOUNT, WEBHOOKS_READ),
            route("GET", "/v1/admin/accounts/{account_id}/limits", ACCOUNT, BILLING_READ),
            route("PATCH", "/v1/admin/accounts/{account_id}/limits", ACCOUNT, BILLING_WRITE),
            // Workspaces
            route("POST", "/v1/workspaces", WORKSPACE, WORKSPACES_WRITE),
            route("POST", "/v1/workspaces/import", WORKSPACE, WORKSPACES_WRITE),
            route("POST", "/v1/workspaces/bulk-delete", WORKSPACE, WORKSPACES_WRITE),
            route("GET", "/v1/workspaces", WORKSPACE, WORKSPACES_READ),
            route("GET", "/v1/workspaces/default", WORKSPACE, WORKSPACES_READ),
            route("PUT", "/v1/workspaces/default", WORKSPACE, WORKSPACES_WRITE),
            route("DELETE", "/v1/workspaces/default", WORKSPACE, WORKSPACES_WRITE),
            route("GET", "/v1/workspaces/{workspace}", WORKSPACE, WORKSPACES_READ),
            route("PUT", "/v1/workspaces/{workspace}/name", WORKSPACE, WORKSPACES_WRITE),
            route("PUT", "/v1/workspaces/{workspace}/template", WORKSPACE, WORKSPACES_WRITE),
            route("GET", "/v1/workspaces/{workspace}/snapshots", WORKSPACE, WORKSPACES_READ),
            route("POST", "/v1/workspaces/{workspace}/snapshots", WORKSPACE, WORKSPACES_WRITE),
            route("POST", "/v1/workspaces/{workspace}/snapshots/{name}/restore", WORKSPACE, WORKSPACES_WRITE),
            route("DELETE", "/v1/workspaces/{workspace}/snapshots/{name}", WORKSPACE, WORKSPACES_WRITE),
            route("DELETE", "/v1/workspaces/{workspace}", WORKSPACE, WORKSPACES_WRITE),
            // Sessions, exec, files
            route("POST", "/v1/sessions", SESSION, SESSIONS_WRITE),
            route("GET", "/v1/sessions", SESSION, SESSIONS_READ),
            route("POST", "/v1/sessions/bulk-terminate", SESSION, SESSIONS_WRITE),
            route("GET", "/v1/sessions/{id}", SESSION, SESSIONS_READ),
            route("DELETE", "/v1/sessions/{id}", SESSION, SESSIONS_WRITE),
            route("POST", "/v1/sessions/{id}/pause", SESSION, SESSIONS_WRITE),
            route("POST", "/v1/sessions/{id}/resume", SESSION, SESSIONS_WRITE),
            route("POST", "/v1/sessions/{id}/fork", SESSION, SESSIONS_WRITE),
            route("POST", "/v1/sessions/{id}/connect-token", GATEWAY, SESSIONS_WRITE),
            route("POST", "/v1/exec", SESSION, EXEC_WRITE),
            // Jobs: submitting and cancelling need the scopes of the job's kind, checked by session-service
            route("POST", "/v1/jobs", SESSION, null),
            route("GET", "/v1/jobs", SESSION, SESSIONS_READ),
            route("GET", "/v1/jobs/kinds", SESSION, null),
            route("GET", "/v1/jobs/{id}", SESSION, SESSIONS_READ),
            route("POST", "/v1/jobs/{id}/cancel", SESSION, null),
            // MCP (Streamable HTTP, stateless): any credential; each tool's own API calls check their scopes
            route("POST", "/v1/mcp", GATEWAY, null),
            // the data plane: served by the vm-agent that runs the session
            route("POST", "/v1/sessions/{id}/exec", HOST, EXEC_WRITE),
            route("GET", "/v1/sessions/{id}/commands", HOST, SESSIONS_READ),
            route("GET", "/v1/sessions/{id}/commands/{cid}", HOST, SESSIONS_READ),
            route("GET", "/v1/sessions/{id}/commands/{cid}/stream", HOST, SESSIONS_READ),
            route("POST", "/v1/sessions/{id}/commands/{cid}/stdin", HOST, EXEC_WRITE),
            route("POST", "/v1/sessions/{id}/commands/{cid}/kill", HOST, EXEC_WRITE),
            route("GET", "/v1/sessions/{id}/pty", HOST, EXEC_WRITE),
            route("POST", "/v1/sessions/{id}/resize", HOST, EXEC_WRITE),
            route("POST", "/v1/sessions/{id}/upload", HOST, FILES_WRITE),
            route("PUT", "/v1/sessions/{id}/upload", HOST, FILES_WRITE),
            route("GET", "/v1/sessions/{id}/download", HOST, FILES_READ),
            route("POST", "/v1/sessions/{id}/self-test", HOST, EXEC_WRITE),
            route(Route.ANY_METHOD, "/v1/sessions/{id}/forward/{port}/**", HOST, EXEC_WRITE),
            route("GET", "/v1/sessions/{id}/tcp/{port}", HOST, EXEC_WRITE),
            // browsers: the DevTools HTTP endpoints and WebSockets of Chromium in the session
            route(Route.ANY_METHOD, "/v1/sessions/{id}/json/**", HOST, SESSIONS_WRITE),
            route(Route.ANY_METHOD, "/v1/sessions/{id}/devtools/**", HOST, SESSIONS_WRITE));

    private static final List<Compiled> COMPILED = ROUTES.stream()
            .sorted(Comparator.comparingInt(Route::specificity).reversed())
            .map(r -> new Compiled(r, r.pattern()))
            .toList();

    private record Compiled(Route route, Pattern pattern) {}

    private RouteTable() {}

    public static Optional<Route> match(String method, String path) {
        for (Compiled c : COMPILED) {
            if (c.route.accepts(method) && c.pattern.matcher(path).matches()) {
                return Optional.of(c.route);
            }
        }
        return Optional.empty();
    }

    /** True when the path exists with another method (for 405 rather than 404). */
    public static boolean pathExists(String path) {
        return COMPILED.stream().anyMatch(c -> c.pattern.matcher(path).matches());
    }

    private static Route route(String method, String template, Backend backend, String scope) {
        return new Route(method, template, backend, scope, false);
    }

    private static Route open(String method, String template, Backend backend) {
        return new Route(method, template, backend, null, true);
    }
}
