package sh.chaser.account.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import sh.chaser.account.application.AccessTokens;
import sh.chaser.account.application.SignIn;
import sh.chaser.common.security.InternalCaller;

@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    public record LoginRequest(String email, String password) {}

    public record TokenResponse(String accessToken, String tokenType, long expiresIn) {}

    public record PasswordRequest(String currentPassword, String newPassword) {}

    @Inject
    SignIn signIn;
    @Inject
    AccessTokens tokens;
    @Inject
    InternalCaller caller;

    /** Open: the gateway forwards it without authentication. */
    @POST
    @Path("login")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<TokenResponse> login(LoginRequest request) {
        LoginRequest r = request == null ? new LoginRequest(null, null) : request;
        return signIn.login(r.email(), r.password())
                .map(issued -> new TokenResponse(issued.token(), "Bearer", issued.expiresIn()));
    }

    @GET
    @Path("jwks")
    @PermitAll
    public Map<String, Object> jwks() {
        return tokens.jwks();
    }

    @POST
    @Path("password")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "204", description = "done, no body")
    public Uni<Response> changePassword(PasswordRequest request) {
        PasswordRequest r = request == null ? new PasswordRequest(null, null) : request;
        return signIn.changePassword(caller, r.currentPassword(), r.newPassword())
                .replaceWith(Response.noContent().build());
    }
}
