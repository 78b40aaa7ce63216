package sh.chaser.gateway.ssh;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import sh.chaser.gateway.application.InternalTokenMinter;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.gateway.config.InternalClientTls;
import sh.chaser.proto.account.v1.AuthenticateResponse;

/**
 * The SSH user name → a running sandbox session: the workspace is looked up in every account the
 * key sits on (in exactly one, or refused), then booted or its running session reused, as the key's
 * user with the internal token the gateway mints for the API. Blocking: call it off the event loop.
 */
@ApplicationScoped
class WorkspaceSessions {

    /** A workspace name or id: one path segment, nothing else. */
    private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9._-]{1,64}|[0-9a-fA-F-]{36}");
    private static final long CALL_SECONDS = 90;
    /** The user name for the account's default sandbox workspace (PUT /v1/workspaces/default). */
    static final String DEFAULT = "default";

    /** The session a channel works on and whom it acts as. */
    record Target(String sessionId, String workspace, AuthenticateResponse principal) {}

    @Inject
    Vertx vertx;
    @Inject
    GatewayConfig config;
    @Inject
    InternalClientTls tls;
    @Inject
    InternalTokenMinter minter;

    private HttpClient client;

    @PostConstruct
    void init() {
        client = vertx.createHttpClient(tls.apply(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000)));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    Target boot(List<AuthenticateResponse> principals, String selector) throws SshRefusal, InterruptedException {
        if (!SELECTOR.matcher(selector).matches() || selector.startsWith(".")) {
            throw new SshRefusal("invalid_request", "the user name must be a workspace's name or id (ssh"
                    + " <workspace>@host); \"" + selector + "\" is neither");
        }
        // "default" (a name no workspace may have) is the account's default sandbox workspace
        boolean byDefault = DEFAULT.equalsIgnoreCase(selector);
        List<AuthenticateResponse> owners = new ArrayList<>();
        JsonObject workspace = null;
        for (AuthenticateResponse p : principals) {
            JsonObject found = byDefault ? defaultOf(p) : named(p, selector);
            if (found != null) {
                owners.add(p);
                workspace = found;
            }
        }
        if (owners.isEmpty()) {
            throw byDefault
                    ? new SshRefusal("workspace_not_found", "no default sandbox workspace in the accounts this key is"
                            + " added to (PUT /v1/workspaces/default), or name one: ssh <workspace>@host")
                    : new SshRefusal("workspace_not_found", "no workspace \"" + selector + "\" in the accounts this"
                            + " key is added to");
        }
        if (owners.size() > 1 && byDefault) {
            throw new SshRefusal("workspace_name_ambiguous", "the accounts " + owners.stream()
                    .map(p -> p.getAccount().getName()).toList() + " each have a default sandbox workspace: name"
                    + " one (its id) as the user name");
        }
        if (owners.size() > 1) {
            throw new SshRefusal("workspace_name_ambiguous", "\"" + selector + "\" is a workspace in "
                    + owners.stream().map(p -> p.getAccount().getName()).toList() + ": use its id as the user name");
        }
        if (!"sandbox".equals(workspace.getString("session_type"))) {
            throw new SshRefusal("session_type_mismatch", "\"" + selector + "\" is a " + workspace.getString(
                    "session_type") + " workspace; ssh opens sandbox workspaces only");
        }
        AuthenticateResponse owner = owners.get(0);
        Answer created = call(owner, HttpMethod.POST, config.session(), "/v1/sessions", new JsonObject()
                .put("session_type", "sandbox").put("workspace", workspace.getString("id")));
        if (created.status >= 300) {
            throw created.refusal();
        }
        return new Target(running(owner, created.body), workspace.getString("id"), owner);
    }

    /** The workspace {@code selector} names in the principal's account, or null. */
    private JsonObject named(AuthenticateResponse p, String selector) throws SshRefusal, InterruptedException {
        Answer found = call(p, HttpMethod.GET, config.workspace(), "/v1/workspaces/" + selector, null);
        if (found.status == 404) {
            return null;
        }
        if (found.status != 200) {
            throw found.refusal();
        }
        return found.body;
    }

    /** The principal's account's default sandbox workspace, or null. */
    private JsonObject defaultOf(AuthenticateResponse p) throws SshRefusal, InterruptedException {
        Answer found = call(p, HttpMethod.GET, config.workspace(), "/v1/workspaces/default?session_type=sandbox",
                null);
        if (found.status != 200) {
            throw found.refusal();
        }
        var data = found.body.getJsonArray("data");
        return data == null || data.isEmpty() ? null : data.getJsonObject(0).getJsonObject("workspace");
    }

    /** The session's id once it runs (a boot longer than the create's answer is awaited here). */
    private String running(AuthenticateResponse owner, JsonObject session) throws SshRefusal, InterruptedException {
        long deadline = System.nanoTime() + config.ssh().bootTimeout().toNanos();
        String id = session.getString("id");
        while ("creating".equals(session.getString("status")) && System.nanoTime() < deadline) {
            Thread.sleep(250); // no event says "running" to the gateway; a boot takes seconds
            Answer again = call(owner, HttpMethod.GET, config.session(), "/v1/sessions/" + id, null);
            if (again.status != 200) {
                throw again.refusal();
            }
            session = again.body;
        }
        if (!"running".equals(session.getString("status"))) {
            throw new SshRefusal("session_not_running", "the workspace's session " + id + " is "
                    + session.getString("status") + "; try again");
        }
        return id;
    }

    private record Answer(int status, JsonObject body) {

        SshRefusal refusal() {
            JsonObject error = body == null ? null : body.getJsonObject("error");
            return error == null
                    ? new SshRefusal("service_unavailable", "the platform answered " + status + "; try again")
                    : new SshRefusal(error.getString("code"), error.getString("message"));
        }
    }

    private Answer call(AuthenticateResponse principal, HttpMethod method, GatewayConfig.Service target, String uri,
            JsonObject body) throws SshRefusal, InterruptedException {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(target.host()).setPort(target.port())
                .setURI(uri).putHeader("Authorization", "Bearer " + minter.tokenFor(principal))
                .putHeader("Content-Type", "application/json").setIdleTimeout(CALL_SECONDS * 1000);
        try {
            return client.request(options)
                    .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body.encode())))
                    .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(),
                            bytes.length() == 0 ? null : safeJson(bytes))))
                    .toCompletionStage().toCompletableFuture().get(CALL_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new SshRefusal("service_unavailable", "the platform did not answer; try again shortly");
        }
    }

    private static JsonObject safeJson(Buffer bytes) {
        try {
            return bytes.toJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
