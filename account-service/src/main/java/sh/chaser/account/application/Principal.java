package sh.chaser.account.application;

import java.util.List;
import java.util.UUID;
import sh.chaser.account.persistence.AccountEntity;

/** Who is calling and in which account, as resolved from a bearer token. */
public record Principal(
        Type type,
        UUID principalId,
        AccountEntity account,
        String role,
        List<String> scopes,
        UUID keyId) {

    public enum Type {
        USER,
        SERVICE_ACCOUNT
    }

    /** A key created without scopes has full access. */
    public boolean fullAccess() {
        return scopes.isEmpty();
    }
}
