package sh.chaser.session.api;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import sh.chaser.common.api.ServiceException;
import sh.chaser.contracts.AgentJoin;
import sh.chaser.contracts.InternalTls;
import sh.chaser.session.application.AgentCertificates;
import sh.chaser.session.application.HostCredentials;
import sh.chaser.session.application.RegisteredHosts;
import sh.chaser.session.config.SessionConfig;
import sh.chaser.session.domain.ErrorCode;

/**
 * Where a vm-agent without a certificate gets one ({@link AgentJoin}): a port of its own, TLS
 * with this service's certificate but no client certificate asked, which answers nothing but
 * {@code POST /v1/join}. The installation's join token admits a host; an id already registered
 * also needs its credential, so no one joins as another host.
 */
@ApplicationScoped
public class JoinServer {

    private static final Logger LOG = Logger.getLogger(JoinServer.class);
    private static final int MAX_BODY = 16 * 1024;
    private static final long MAX_DISCARD = 8L << 20;
    private static final long DISCARD_MILLIS = 5_000;

    @Inject
    Vertx vertx;
    @Inject
    SessionConfig config;
    @Inject
    AgentCertificates certificates;
    @Inject
    HostCredentials credentials;
    @Inject
    RegisteredHosts hosts;
    @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1")
    String bindHost;

    private HttpServer server;

    void start(@Observes StartupEvent event) throws Exception {
        if (!certificates.enabled()) {
            return;
        }
        InternalTls tls = InternalTls.fromConfig().orElseThrow(() -> new IllegalStateException(
                "the join port needs this service's certificate (CHASER_TLS_CERT, CHASER_TLS_KEY)"));
        HttpServerOptions options = new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString())
                        .setKeyPath(tls.key().toString()));
        int port = config.hosts().joinPort().get();
        server = vertx.createHttpServer(options).requestHandler(this::handle).listen(port, bindHost)
                .toCompletionStage().toCompletableFuture().get();
        LOG.infof("Agents join on https://%s:%d%s (join token; their certificates signed by the agent issuer)",
                bindHost, port, AgentJoin.PATH);
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }

    private void handle(HttpServerRequest request) {
        String requestId = UUID.randomUUID().toString();
        if (!request.path().equals(AgentJoin.PATH)) {
            refuse(request, new ServiceException(ErrorCode.NOT_FOUND, "this port answers only POST " + AgentJoin.PATH),
                    requestId);
            return;
        }
        if (request.method() != io.vertx.core.http.HttpMethod.POST) {
            refuse(request, new ServiceException(ErrorCode.INVALID_REQUEST, "join with POST"), requestId);
            return;
        }
        // nothing authenticates a caller before the body is read: its size is known and bounded first
        long length = parseLength(request.getHeader("content-length"));
        if (length < 0 || length > MAX_BODY) {
            discardThenClose(request);
            refuse(request, new ServiceException(ErrorCode.INVALID_REQUEST, "a join is a JSON body of at most "
                    + MAX_BODY + " bytes with its Content-Length"), requestId);
            return;
        }
        request.body().onFailure(e -> request.connection().close()).onSuccess(body -> {
            vertx.<String>executeBlocking(() -> join(body.toString()), false).onSuccess(chain -> request.response()
                    .putHeader("content-type", "application/json")
                    .end(new JsonObject().put(AgentJoin.CERTIFICATE, chain).encode()))
                    .onFailure(e -> refuse(request, e, requestId));
        });
    }

    /**
     * The body of a refused join is dropped as it arrives, never kept. The connection closes when
     * it ends, after {@link #MAX_DISCARD} bytes or {@link #DISCARD_MILLIS}: closing at once with
     * unread bytes makes the kernel send a reset, which destroys the 400 before the client reads it.
     */
    private void discardThenClose(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        long deadline = vertx.setTimer(DISCARD_MILLIS, t -> connection.close());
        long[] discarded = { 0 };
        request.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > MAX_DISCARD) {
                connection.close();
            }
        });
        request.endHandler(end -> {
            vertx.cancelTimer(deadline);
            connection.close();
        });
    }

    /** -1 when absent or not a number. */
    private static long parseLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private String join(String body) throws Exception {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (RuntimeException e) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "the body must be a JSON object");
        }
        String hostId = json.getString(AgentJoin.HOST_ID, "");
        if (!hostId.matches(AgentJoin.HOST_ID_PATTERN)) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "host_id must be 1-63 letters, digits, '.', '_' "
                    + "or '-'", AgentJoin.HOST_ID);
        }
        if (!credentials.joinTokenValid(json.getString(AgentJoin.JOIN_TOKEN, ""))) {
            LOG.warnf("join of host %s refused: no valid join token", hostId);
            throw new ServiceException(ErrorCode.UNAUTHORIZED, "a host joins with the installation's join token "
                    + "(./chaser hosts join-token prints it)");
        }
        try {
            VertxContextSupport.subscribeAndAwait(() -> hosts.mayJoin(hostId,
                    json.getString(AgentJoin.HOST_CREDENTIAL, "")));
        } catch (ServiceException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("the host registry cannot be read: " + e.getMessage(), e);
        }
        Optional<InetAddress> address = Optional.empty();
        String given = json.getString(AgentJoin.ADDRESS, "");
        if (!given.isEmpty()) {
            if (!given.matches("[0-9a-fA-F:.]+")) {
                throw new ServiceException(ErrorCode.INVALID_REQUEST, "address must be an IP address",
                        AgentJoin.ADDRESS);
            }
            address = Optional.of(InetAddress.getByName(given));
        }
        try {
            String chain = certificates.issue(hostId, json.getString(AgentJoin.CSR, ""), address);
            LOG.infof("Host %s joined: its certificate names vm-agent/%s", hostId, hostId);
            return chain;
        } catch (IllegalArgumentException e) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, e.getMessage(), AgentJoin.CSR);
        }
    }

    private static io.vertx.core.Future<Void> refuse(HttpServerRequest request, Throwable failure, String requestId) {
        ServiceException refusal = failure instanceof ServiceException s
                ? s
                : new ServiceException(ErrorCode.INTERNAL, "the join failed; see session-service's log");
        if (!(failure instanceof ServiceException)) {
            LOG.error("join failed", failure);
        }
        JsonObject error = new JsonObject().put("code", refusal.code().code()).put("message", refusal.getMessage())
                .put("request_id", requestId);
        if (refusal.field() != null) {
            error.put("field", refusal.field());
        }
        return request.response().setStatusCode(refusal.code().httpStatus())
                .putHeader("content-type", "application/json").putHeader("X-Request-Id", requestId)
                .end(new JsonObject().put("error", error).encode());
    }
}
