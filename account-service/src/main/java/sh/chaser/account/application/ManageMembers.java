package sh.chaser.account.application;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import sh.chaser.account.domain.Emails;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.PasswordHash;
import sh.chaser.account.domain.Role;
import sh.chaser.account.persistence.AccountEntity;
import sh.chaser.account.persistence.MembershipEntity;
import sh.chaser.account.persistence.PgAccountRepository;
import sh.chaser.account.persistence.PgMembershipRepository;
import sh.chaser.account.persistence.PgUserRepository;
import sh.chaser.account.persistence.UserEntity;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.messaging.Outbox;
import sh.chaser.common.security.InternalCaller;

/** Members of the account a request acts in, with the rules of API.md section 6. */
@ApplicationScoped
public class ManageMembers {

    public record Member(UserEntity user, MembershipEntity membership) {}

    @Inject
    PgMembershipRepository memberships;
    @Inject
    PgUserRepository users;
    @Inject
    PgAccountRepository accounts;
    @Inject
    CreateUser createUser;
    @Inject
    io.vertx.mutiny.core.Vertx vertx;
    @Inject
    Audit audit;
    @Inject
    Outbox outbox;

    @WithSession
    public Uni<List<Member>> list(InternalCaller caller) {
        return memberships.list("accountId = ?1 order by createdAt", caller.accountId())
                .flatMap(ms -> users.list("id in ?1", ms.stream().map(m -> m.userId).toList())
                        .map(us -> ms.stream().map(m -> new Member(
                                us.stream().filter(u -> u.id.equals(m.userId)).findFirst().orElseThrow(), m))
                                .toList()));
    }

    /** Adds a user by email; an unknown email becomes an invited user who can sign in once given a password. */
    @WithTransaction
    public Uni<Member> add(InternalCaller caller, String rawEmail, String rawRole) {
        String email = Emails.normalize(rawEmail, "email");
        Role role = Role.parse(rawRole, "role");
        Role.checkMayManage(callerRole(caller), null, role);
        return organization(caller).flatMap(account -> users.findByEmail(email)
                .flatMap(existing -> existing != null
                        ? Uni.createFrom().item(existing)
                        : createUser.create(email, null).map(CreateUser.Created::user))
                .flatMap(user -> memberships.find(account.id, user.id).flatMap(found -> {
                    if (found != null) {
                        throw new ServiceException(ErrorCode.ALREADY_MEMBER, email + " is already a member");
                    }
                    MembershipEntity m = new MembershipEntity();
                    m.accountId = account.id;
                    m.userId = user.id;
                    m.role = role.value();
                    m.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return memberships.persist(m).map(saved -> new Member(user, saved))
                            .call(added -> audit.success(caller, "member.add", "member", user.id.toString(),
                                    "added " + email + " as " + role.value(), java.util.Map.of("role", role.value())));
                })));
    }

    /**
     * Changes a member's role and/or gives an invited member (one without a password) a first
     * password, so they can sign in; members change their own password themselves.
     */
    @WithTransaction
    public Uni<Member> update(InternalCaller caller, UUID userId, String rawRole, String password) {
        requireManager(caller);
        if (rawRole == null && password == null) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "give role, password or both", "role");
        }
        Uni<Member> updated = rawRole == null
                ? target(caller, userId).flatMap(m -> users.findById(userId)
                        .map(u -> new Member(u, m)))
                : changeRole(caller, userId, rawRole);
        return password == null ? updated : updated.flatMap(member -> setFirstPassword(caller, member, password));
    }

    private Uni<Member> setFirstPassword(InternalCaller caller, Member member, String password) {
        if (password.length() < SignIn.PASSWORD_MIN || password.length() > 1024) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST,
                    "password must be at least " + SignIn.PASSWORD_MIN + " characters", "password");
        }
        if (member.user().passwordHash != null) {
            throw new ServiceException(ErrorCode.FORBIDDEN,
                    "this member has a password already; only they can change it");
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> PasswordHash.of(password))).map(hash -> {
            member.user().passwordHash = hash;
            return member;
        }).call(m -> audit.success(caller, "member.password.set", "member", m.user().id.toString(),
                "set the first password of invited member " + m.user().email, null));
    }

    private Uni<Member> changeRole(InternalCaller caller, UUID userId, String rawRole) {
        Role role = Role.parse(rawRole, "role");
        return target(caller, userId).flatMap(m -> {
            Role before = Role.of(m.role);
            Role.checkMayManage(callerRole(caller), before, role);
            Uni<Void> guard = before == Role.OWNER && role != Role.OWNER
                    ? keepAnOwner(caller.accountId())
                    : Uni.createFrom().voidItem();
            return guard.flatMap(v -> {
                m.role = role.value();
                return users.findById(userId).map(u -> new Member(u, m));
            }).call(changed -> AccountEvents.membershipChanged(outbox, caller.accountId(), userId))
                    .call(changed -> audit.success(caller, "member.update", "member", userId.toString(),
                            "changed role of " + changed.user().email + " to " + role.value(),
                            java.util.Map.of("role", role.value())));
        });
    }

    @WithTransaction
    public Uni<Void> remove(InternalCaller caller, UUID userId) {
        requireManager(caller);
        return target(caller, userId).flatMap(m -> {
            Role before = Role.of(m.role);
            Role.checkMayManage(callerRole(caller), before, null);
            Uni<Void> guard = before == Role.OWNER ? keepAnOwner(caller.accountId()) : Uni.createFrom().voidItem();
            return guard.flatMap(v -> memberships.delete(m))
                    .call(v -> AccountEvents.membershipChanged(outbox, caller.accountId(), userId))
                    .call(v -> audit.success(caller, "member.remove", "member", userId.toString(), "removed member",
                            null))
                    .replaceWithVoid();
        });
    }

    private Uni<MembershipEntity> target(InternalCaller caller, UUID userId) {
        return memberships.find(caller.accountId(), userId).map(m -> {
            if (m == null) {
                throw new ServiceException(ErrorCode.MEMBER_NOT_FOUND, "no member " + userId + " in this account");
            }
            return m;
        });
    }

    /** Fails with last_owner unless another owner remains; the row lock serializes two demotions. */
    private Uni<Void> keepAnOwner(UUID accountId) {
        return memberships.countOwnersForUpdate(accountId).map(owners -> {
            if (owners <= 1) {
                throw new ServiceException(ErrorCode.LAST_OWNER, "an account keeps at least one owner");
            }
            return null;
        });
    }

    private Uni<AccountEntity> organization(InternalCaller caller) {
        return accounts.findById(caller.accountId()).map(a -> {
            if (a == null || !"organization".equals(a.type)) {
                throw new ServiceException(ErrorCode.FORBIDDEN,
                        "personal accounts have no members; create an organization to work with others");
            }
            return a;
        });
    }

    /** Checked before any lookup, so a member learns nothing from the answer. */
    private static void requireManager(InternalCaller caller) {
        CallerRules.requireUser(caller, "service accounts do not manage members");
        CallerRules.requireOwnerOrAdmin(caller, "only owners and admins manage members");
    }

    private static Role callerRole(InternalCaller caller) {
        CallerRules.requireUser(caller, "service accounts do not manage members");
        return Role.of(caller.role());
    }
}
