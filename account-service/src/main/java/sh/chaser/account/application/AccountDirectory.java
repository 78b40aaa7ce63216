package sh.chaser.account.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import sh.chaser.account.persistence.AccountEntity;
import sh.chaser.account.persistence.PgAccountRepository;

/** The reads behind the accounts routes: one account, and every account a user belongs to with their role. */
@ApplicationScoped
public class AccountDirectory {

    @Inject
    PgAccountRepository accounts;

    /** The account, or null. */
    public Uni<AccountEntity> find(UUID id) {
        return accounts.findById(id);
    }

    public Uni<List<PgAccountRepository.WithRole>> memberships(UUID userId) {
        return accounts.findForUser(userId);
    }
}
