package sh.chaser.account.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import sh.chaser.contracts.InternalToken;

/**
 * Authenticate answers only the gateway: the call must carry the gateway's own internal token
 * ({@code authorization: Bearer ...}, principal type {@code gateway}), verified like every
 * internal token (issuer, audience, signature, expiry).
 */
@ApplicationScoped
public class GatewayOnly implements ServerInterceptor {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    @Inject
    JWTParser parser;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String header = headers.get(AUTHORIZATION);
        try {
            if (header == null || !header.startsWith("Bearer ")) {
                throw new ParseException("no token");
            }
            var jwt = parser.parse(header.substring(7));
            if (!InternalToken.GATEWAY.equals(jwt.getClaim(InternalToken.PRINCIPAL_TYPE))) {
                throw new ParseException("not the gateway");
            }
        } catch (ParseException e) {
            Metadata trailers = new Metadata();
            trailers.put(sh.chaser.common.api.GrpcRefusals.CODE, "unauthorized");
            call.close(Status.UNAUTHENTICATED.withDescription("only the gateway may call this service"), trailers);
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
