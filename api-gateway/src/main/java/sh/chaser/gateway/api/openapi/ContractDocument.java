package sh.chaser.gateway.api.openapi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import sh.chaser.gateway.api.ErrorEnvelope;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.gateway.config.InternalClientTls;
import sh.chaser.gateway.domain.Backend;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.gateway.domain.RouteTable;

/**
 * {@code GET /api-docs/openapi.json}: the public contract, assembled from each service's generated
 * document ({@code /q/openapi} on its API port) and the gateway's own ({@code openapi/gateway.json}),
 * kept once every service answered. Open, like the Swagger UI that reads it ({@code /swagger-ui}).
 */
@ApplicationScoped
public class ContractDocument {

    public static final String PATH = "/api-docs/openapi.json";
    @Inject
    Vertx vertx;
    @Inject
    GatewayConfig config;
    @Inject
    InternalClientTls tls;

    private HttpClient client;
    private JsonObject gateway;
    private volatile String assembled;

    @PostConstruct
    void init() {
        client = vertx.createHttpClient(tls.apply(new HttpClientOptions().setConnectTimeout(2_000)));
        try (InputStream in = getClass().getResourceAsStream("/openapi/gateway.json")) {
            gateway = new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void install(@Observes Router router) {
        router.get(PATH).handler(this::serve);
    }

    void serve(RoutingContext ctx) {
        String ready = assembled;
        if (ready != null) {
            send(ctx, ready);
            return;
        }
        Map<Backend, GatewayConfig.Service> services = Map.of(Backend.ACCOUNT, config.account(), Backend.WORKSPACE,
                config.workspace(), Backend.SESSION, config.session());
        Map<Backend, JsonObject> docs = new EnumMap<>(Backend.class);
        List<Future<?>> fetches = services.entrySet().stream().<Future<?>>map(e -> fetch(e.getValue())
                .onSuccess(doc -> {
                    synchronized (docs) {
                        docs.put(e.getKey(), doc);
                    }
                })).toList();
        Future.all(fetches).onComplete(done -> {
            if (done.failed()) {
                ErrorEnvelope.send(ctx, ErrorCode.SERVICE_UNAVAILABLE,
                        "a service did not give its part of the contract; retry shortly");
                return;
            }
            String json = ContractMerge.merge(gateway, docs, RouteTable.ROUTES).encodePrettily();
            assembled = json;
            send(ctx, json);
        });
    }

    private Future<JsonObject> fetch(GatewayConfig.Service service) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(service.host())
                .setPort(service.port()).setURI("/q/openapi?format=json").setIdleTimeout(10_000);
        return client.request(options).compose(r -> r.send()).compose(response -> response.statusCode() == 200
                ? response.body().map(JsonObject::new)
                : Future.failedFuture("status " + response.statusCode()));
    }

    private static void send(RoutingContext ctx, String json) {
        ctx.response().putHeader("Content-Type", "application/json").end(json);
    }
}
