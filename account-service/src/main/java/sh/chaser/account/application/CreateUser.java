package sh.chaser.account.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import sh.chaser.account.domain.PasswordHash;
import sh.chaser.account.persistence.AccountEntity;
import sh.chaser.account.persistence.MembershipEntity;
import sh.chaser.account.persistence.PgAccountRepository;
import sh.chaser.account.persistence.PgMembershipRepository;
import sh.chaser.account.persistence.PgUserRepository;
import sh.chaser.account.persistence.UserEntity;

/** A user always comes with an implicit personal account that they own. Call inside a transaction. */
@ApplicationScoped
public class CreateUser {

    public record Created(UserEntity user, AccountEntity personalAccount) {}

    @Inject
    PgUserRepository users;
    @Inject
    PgAccountRepository accounts;
    @Inject
    PgMembershipRepository memberships;

    public Uni<Created> create(String email, String password) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        UserEntity user = new UserEntity();
        user.id = UUID.randomUUID();
        user.email = email;
        user.passwordHash = password == null ? null : PasswordHash.of(password);
        user.createdAt = now;

        AccountEntity account = new AccountEntity();
        account.id = UUID.randomUUID();
        account.name = email;
        account.type = "personal";
        account.personalOf = user.id;
        account.createdAt = now;

        MembershipEntity owner = new MembershipEntity();
        owner.accountId = account.id;
        owner.userId = user.id;
        owner.role = "owner";
        owner.createdAt = now;

        return users.persist(user)
                .flatMap(u -> accounts.persist(account))
                .flatMap(a -> memberships.persist(owner))
                .replaceWith(new Created(user, account));
    }
}
