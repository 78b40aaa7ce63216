package sh.chaser.account.application;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import sh.chaser.account.domain.AccountNames;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.persistence.AccountEntity;
import sh.chaser.account.persistence.MembershipEntity;
import sh.chaser.account.persistence.PgAccountRepository;
import sh.chaser.account.persistence.PgMembershipRepository;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.security.InternalCaller;

/** A user creates an organization and becomes its owner. */
@ApplicationScoped
public class CreateOrganization {

    @Inject
    PgAccountRepository accounts;
    @Inject
    PgMembershipRepository memberships;
    @Inject
    Audit audit;

    @WithTransaction
    public Uni<AccountEntity> create(InternalCaller caller, String rawName) {
        CallerRules.requireUser(caller, "only users create organizations");
        String name = AccountNames.validate(rawName);
        return accounts.count("lower(name) = lower(?1) and type = 'organization'", name).flatMap(taken -> {
            if (taken > 0) {
                throw new ServiceException(ErrorCode.ACCOUNT_NAME_TAKEN, "an organization named " + name + " exists",
                        "name");
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            AccountEntity org = new AccountEntity();
            org.id = UUID.randomUUID();
            org.name = name;
            org.type = "organization";
            org.createdAt = now;
            MembershipEntity owner = new MembershipEntity();
            owner.accountId = org.id;
            owner.userId = caller.principalId();
            owner.role = "owner";
            owner.createdAt = now;
            return accounts.persist(org).flatMap(a -> memberships.persist(owner)).replaceWith(org)
                    .call(o -> audit.success(caller, "organization.create", "account", o.id.toString(),
                            "created organization " + o.name, null));
        });
    }
}
