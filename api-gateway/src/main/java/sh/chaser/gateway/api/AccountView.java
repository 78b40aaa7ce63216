package sh.chaser.gateway.api;

import sh.chaser.proto.account.v1.AuthenticateResponse;

/** An account as the API shows it, with the caller's role in it. */
public record AccountView(String id, String name, String type, String role, String createdAt) {

    static AccountView of(AuthenticateResponse principal) {
        var a = principal.getAccount();
        return new AccountView(a.getId(), a.getName(), a.getType(), principal.getRole(), a.getCreatedAt());
    }
}
