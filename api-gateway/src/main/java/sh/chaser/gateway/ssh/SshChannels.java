package sh.chaser.gateway.ssh;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
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
        if (principals == null || principals.isEmpty()) {
            throw new SshRefusal("unauthorized", "the connection has no key");
        }
        WorkspaceSessions.Target target = sessions.boot(principals, workspace);
        String token = tokens.mint(target.sessionId(), ConnectPurpose.PTY, target.principal()).token();
        StringBuilder uri = new StringBuilder("/v1/sessions/").append(target.sessionId()).append("/pty?mode=")
                .append(mode).append("&cols=").append(cols).append("&rows=").append(rows).append("&token=")
                .append(encode(token));
        if (command != null) {
            uri.append("&command=").append(encode(command));
        }
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(address()).setPort(port)
                .setURI(uri.toString());
        try {
            // the channel's handlers go on as the socket opens, on its event loop, before any frame is read
            return client.webSocket(options).map(socket -> new TerminalChannel(socket, out, exit, awaitReady))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new SshRefusal("service_unavailable", "the sandbox's terminal did not open ("
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()) + "); try again");
        }
    }

    private String address() {
        return "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
