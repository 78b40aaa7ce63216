package sh.chaser.gateway.application;

import jakarta.enterprise.context.RequestScoped;
import sh.chaser.gateway.domain.ApiException;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.proto.account.v1.AuthenticateResponse;

/** The authenticated caller of the current request, set by {@code BearerAuthFilter}. */
@RequestScoped
public class Caller {

    private AuthenticateResponse principal;

    public void authenticated(AuthenticateResponse principal) {
        this.principal = principal;
    }

    public AuthenticateResponse principal() {
        if (principal == null) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "authentication required");
        }
        return principal;
    }
}
