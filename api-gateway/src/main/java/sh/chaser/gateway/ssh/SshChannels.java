package sh.chaser.gateway.ssh;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.server.ExitCallback;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import sh.chaser.gateway.application.ConnectTokens;
import sh.chaser.gateway.domain.ConnectPurpose;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.relay.WebSocketLimits;

/**
 * Opens a session's terminal for an SSH channel through the gateway's own public terminal route on
 * loopback, with a connect token minted for the key's user: the same path a browser's terminal takes,
 * so it is located, leased (an SSH connection holds a connection lease while it is open), relayed
 * and audited the same way.
 */
@ApplicationScoped
class SshChannels {

    @Inject
    Vertx vertx;
    @Inject
    WorkspaceSessions sessions;
    @Inject
    ConnectTokens tokens;
    @ConfigProperty(name = "quarkus.http.host")
    String host;
    @ConfigProperty(name = "quarkus.http.port")
    int port;

    private HttpClient client;

    @PostConstruct
    void init() {
        // the terminal route relays the agent's frames as they come: a burst of output can be one large frame
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000)
                .setMaxWebSocketFrameSize(WebSocketLimits.MAX_FRAME)
                .setMaxWebSocketMessageSize(WebSocketLimits.MAX_MESSAGE));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** Boots or reuses the workspace's sandbox and joins a terminal in it; blocks (a boot takes seconds). */
    TerminalChannel open(List<AuthenticateResponse> principals, String workspace, String mode, String command,
            int cols, int rows, OutputStream out, ExitCallback exit, boolean awaitReady)
            throws SshRefusal, InterruptedException {
        StringBuilder uri = new StringBuilder(route(principals, workspace, ConnectPurpose.PTY, "/pty"))
                .append("&mode=").append(mode).append("&cols=").append(cols).append("&rows=").append(rows);
        if (command != null) {
            uri.append("&command=").append(encode(command));
        }
        return connect(uri.toString(), socket -> new TerminalChannel(socket, out, exit, awaitReady), "terminal");
    }

    /**
     * Boots or reuses the workspace's sandbox and opens a raw TCP connection to {@code port} in it
     * (the session's {@code tcp/<port>} route); blocks. A closed port is refused with {@code port_not_listening}.
     */
    WebSocket openTcp(List<AuthenticateResponse> principals, String workspace, int port,
            java.util.function.Consumer<WebSocket> bind) throws SshRefusal, InterruptedException {
        return connect(route(principals, workspace, ConnectPurpose.FORWARD, "/tcp/" + port), socket -> {
            bind.accept(socket);
            return socket;
        }, "port " + port);
    }

    /** Boots or reuses the workspace's sandbox: the session's route {@code rest} with a connect token for it. */
    private String route(List<AuthenticateResponse> principals, String workspace, ConnectPurpose purpose, String rest)
            throws SshRefusal, InterruptedException {
        if (principals == null || principals.isEmpty()) {
            throw new SshRefusal("unauthorized", "the connection has no key");
        }
        WorkspaceSessions.Target target = sessions.boot(principals, workspace);
        String token = tokens.mint(target.sessionId(), purpose, target.principal()).token();
        return "/v1/sessions/" + target.sessionId() + rest + "?token=" + encode(token);
    }

    private <T> T connect(String uri, java.util.function.Function<WebSocket, T> bind, String what)
            throws SshRefusal, InterruptedException {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(address()).setPort(port).setURI(uri);
        try {
            // the channel's handlers go on as the socket opens, on its event loop, before any frame is read
            return client.webSocket(options).map(bind).toCompletionStage().toCompletableFuture().get(30,
                    TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof io.vertx.core.http.UpgradeRejectedException rejected
                    && rejected.getStatus() == 502) {
                throw new SshRefusal("port_not_listening", "nothing in the sandbox listens on " + what);
            }
            throw new SshRefusal("service_unavailable", "the sandbox's " + what + " did not open ("
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()) + "); try again");
        } catch (TimeoutException e) {
            throw new SshRefusal("service_unavailable", "the sandbox's " + what + " did not open in 30 s; try again");
        }
    }

    private String address() {
        return sh.chaser.gateway.config.SelfAddress.of(host);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
