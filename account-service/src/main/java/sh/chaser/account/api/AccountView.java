package sh.chaser.account.api;

import java.time.OffsetDateTime;
import sh.chaser.account.persistence.AccountEntity;

/** An account as the API shows it, with the caller's role in it. */
public record AccountView(String id, String name, String type, String role, OffsetDateTime createdAt) {

    static AccountView of(AccountEntity a, String role) {
        return new AccountView(a.id.toString(), a.name, a.type, role, a.createdAt);
    }
}
