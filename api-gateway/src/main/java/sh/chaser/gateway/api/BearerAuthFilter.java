package sh.chaser.gateway.api;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import sh.chaser.gateway.application.Caller;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.proto.account.v1.AccountAuth;
import sh.chaser.proto.account.v1.AuthenticateRequest;

/** Every {@code /v1} request is authenticated by account-service before any resource runs. */
public class BearerAuthFilter {

    public static final String ACCOUNT_HEADER = "X-Chaser-Account";

    @GrpcClient("account-service")
    AccountAuth accounts;
    @Inject
    Caller caller;

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, RoutingContext ctx) {
        if (!request.getUriInfo().getPath().startsWith("/v1/")) {
            return Uni.createFrom().nullItem();
        }
        String requestId = RequestIds.of(ctx);
        String token = bearerToken(request.getHeaderString("Authorization"));
        if (token == null) {
            return Uni.createFrom().item(ErrorEnvelope.response(ErrorCode.UNAUTHORIZED,
                    "send Authorization: Bearer <API key or access token>", requestId));
        }
        String selector = request.getHeaderString(ACCOUNT_HEADER);
        return accounts.authenticate(AuthenticateRequest.newBuilder()
                        .setToken(token)
                        .setAccountSelector(selector == null ? "" : selector.trim())
                        .setRequestId(requestId)
                        .build())
                .map(principal -> {
                    caller.authenticated(principal);
                    return (Response) null;
                })
                .onFailure().recoverWithItem(failure -> BackendErrors.toResponse("account-service", failure, requestId));
    }

    static String bearerToken(String header) {
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
