package sh.chaser.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.gateway.config.InternalClientTls;
import sh.chaser.gateway.domain.Backend;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.relay.HttpRelay;

/** Streams a request to the service that owns it and the answer back, with the internal token. */
@ApplicationScoped
public class BackendProxy {

    private static final Logger LOG = Logger.getLogger(BackendProxy.class);
    @Inject
    Vertx vertx;
    @Inject
    GatewayConfig config;
    @Inject
    InternalClientTls tls;

    private HttpClient client;

    @PostConstruct
    void init() {
        client = vertx.createHttpClient(tls.apply(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(128)
                .setConnectTimeout(2_000)));
    }

    /** @param internalToken null for open routes */
    public void forward(RoutingContext ctx, Backend backend, String internalToken) {
        forward(ctx, backend, internalToken, ctx.request().uri());
    }

    /** @param uri the path and query the service gets (a session endpoint's own path is rewritten to /v1) */
    public void forward(RoutingContext ctx, Backend backend, String internalToken, String uri) {
        client.request(options(ctx, backend, internalToken, uri))
                // a body cut off by the caller resets the service's request instead of ending it early,
                // and a request without a body goes without an empty chunked one
                .compose(out -> HttpRelay.send(out, ctx.request()))
                .onSuccess(answer -> {
                    var response = ctx.response().setStatusCode(answer.statusCode());
                    response.headers().addAll(copy(answer.headers()));
                    response.send(answer);
                })
                .onFailure(failure -> unreachable(ctx, backend, failure));
    }

    /** A whole answer of a service, read into memory. */
    public record Answer(int status, MultiMap headers, Buffer body) {}

    /**
     * Sends a body already read to the service and reads its whole answer (requests whose answer is
     * kept, such as those with an Idempotency-Key); a failure to reach the service fails the future.
     */
    public Future<Answer> exchange(RoutingContext ctx, Backend backend, String internalToken, String uri,
            Buffer body) {
        RequestOptions options = options(ctx, backend, internalToken, uri);
        options.getHeaders().remove(HttpHeaders.TRANSFER_ENCODING);
        options.getHeaders().set(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        return client.request(options).compose(out -> out.send(body))
                .compose(in -> in.body().map(bytes -> new Answer(in.statusCode(), copy(in.headers()), bytes)));
    }

    /** Answers 503 for a service that could not be reached. */
    public static void unreachable(RoutingContext ctx, Backend backend, Throwable failure) {
        LOG.warnf("request %s: %s unreachable (%s)", RequestIds.of(ctx), backend.serviceName(), failure.getMessage());
        ErrorEnvelope.send(ctx, ErrorCode.SERVICE_UNAVAILABLE,
                backend.serviceName() + " is unavailable, retry shortly");
    }

    private RequestOptions options(RoutingContext ctx, Backend backend, String internalToken, String uri) {
        HttpServerRequest in = ctx.request();
        GatewayConfig.Service target = switch (backend) {
            case ACCOUNT -> config.account();
            case WORKSPACE -> config.workspace();
            case SESSION -> config.session();
            case HOST, GATEWAY -> throw new IllegalArgumentException(backend + " is not a service");
        };
        MultiMap headers = copy(in.headers());
        headers.set("X-Request-Id", RequestIds.of(ctx));
        headers.set("X-Forwarded-For", in.remoteAddress() == null ? "" : in.remoteAddress().hostAddress());
        if (internalToken != null) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + internalToken);
        }
        return new RequestOptions().setMethod(in.method()).setHost(target.host()).setPort(target.port())
                .setURI(uri).setIdleTimeout(config.backendTimeout().toMillis()).setHeaders(headers);
    }

    /** End-to-end headers, without the request id the gateway sets itself. */
    private static MultiMap copy(MultiMap from) {
        return HttpRelay.endToEnd(from, "x-request-id");
    }
}
