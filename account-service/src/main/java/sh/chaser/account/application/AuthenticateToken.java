package sh.chaser.account.application;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import sh.chaser.account.domain.ApiKeySecret;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.persistence.AccountEntity;
import sh.chaser.account.persistence.ApiKeyEntity;
import sh.chaser.account.persistence.PgAccountRepository;
import sh.chaser.account.persistence.PgApiKeyRepository;
import sh.chaser.account.persistence.PgMembershipRepository;
import sh.chaser.account.persistence.PgServiceAccountRepository;
import sh.chaser.account.persistence.PgUserIdentityRepository;
import sh.chaser.account.persistence.PgUserRepository;
import sh.chaser.account.persistence.UserIdentityEntity;
import sh.chaser.common.api.ServiceException;

/**
 * Turns a bearer token and an optional X-Chaser-Account selector into a {@link Principal}. An API
 * key acts only in the account it is bound to; an access token is its user's own and may select
 * any account the user is a member of.
 */
@ApplicationScoped
public class AuthenticateToken {

    @Inject
    PgApiKeyRepository keys;
    @Inject
    PgAccountRepository accounts;
    @Inject
    PgMembershipRepository memberships;
    @Inject
    PgUserRepository users;
    @Inject
    AccessTokens accessTokens;
    @Inject
    PgServiceAccountRepository serviceAccounts;
    @Inject
    PgUserIdentityRepository identities;
    @Inject
    ExternalTokens externalTokens;
    @Inject
    CreateUser createUser;
    @Inject
    io.vertx.mutiny.core.Vertx vertx;

    @WithTransaction
    public Uni<Principal> authenticate(String token, String selector) {
        if (ApiKeySecret.looksLikeKey(token)) {
            return byKey(token, selector);
        }
        if (token != null && token.chars().filter(c -> c == '.').count() == 2) {
            return byAccessToken(token, selector);
        }
        return Uni.createFrom().failure(unauthorized());
    }

    private Uni<Principal> byKey(String token, String selector) {
        return keys.findActiveByHash(ApiKeySecret.hash(token))
                .onItem().ifNull().failWith(AuthenticateToken::unauthorized)
                .flatMap(key -> accounts.findById(key.accountId)
                        .flatMap(account -> {
                            checkSelector(selector, account);
                            return (key.serviceAccountId != null
                                    ? serviceAccountPrincipal(key, account)
                                    : userPrincipal(key, account))
                                    .call(p -> keys.touch(key.id, OffsetDateTime.now(ZoneOffset.UTC)));
                        }));
    }

    /**
     * The principal behind an API key given by id, as it is now: the key must still be active and
     * bound to {@code accountId}.
     */
    Uni<Principal> byKeyId(UUID keyId, UUID accountId) {
        return keys.find("id = ?1 and accountId = ?2 and revokedAt is null", keyId, accountId).firstResult()
                .onItem().ifNull().failWith(AuthenticateToken::unauthorized)
                .flatMap(key -> accounts.findById(key.accountId).flatMap(account -> key.serviceAccountId != null
                        ? serviceAccountPrincipal(key, account)
                        : userPrincipal(key, account)));
    }

    /** A signed-in user acting in {@code accountId}, while still a member of it. */
    Uni<Principal> byUserIn(UUID userId, UUID accountId) {
        return users.findById(userId)
                .onItem().ifNull().failWith(AuthenticateToken::unauthorized)
                .flatMap(user -> accounts.findForUser(userId))
                .map(mine -> mine.stream().filter(a -> a.account().id.equals(accountId)).findFirst()
                        .map(found -> new Principal(Principal.Type.USER, userId, found.account(), found.role(),
                                List.of(), null))
                        .orElseThrow(AuthenticateToken::unauthorized));
    }

    /** A user's key works while its user is still a member of the key's account. */
    private Uni<Principal> userPrincipal(ApiKeyEntity key, AccountEntity account) {
        return memberships.find(account.id, key.userId)
                .onItem().ifNull().failWith(AuthenticateToken::unauthorized)
                .map(m -> new Principal(Principal.Type.USER, key.userId, account, m.role, scopes(key), key.id));
    }

    /** A service account's key works while the service account exists and is enabled; it acts as a member. */
    private Uni<Principal> serviceAccountPrincipal(ApiKeyEntity key, AccountEntity account) {
        return serviceAccounts.findLive(account.id, key.serviceAccountId).map(sa -> {
            if (sa == null || sa.disabled) {
                throw unauthorized();
            }
            return new Principal(Principal.Type.SERVICE_ACCOUNT, sa.id, account, "member", scopes(key), key.id);
        });
    }

    private Uni<Principal> byAccessToken(String token, String selector) {
        UUID userId;
        try {
            userId = accessTokens.verify(token);
        } catch (ParseException | IllegalArgumentException e) {
            return byExternalToken(token, selector);
        }
        return users.findById(userId)
                .onItem().ifNull().failWith(AuthenticateToken::unauthorized)
                .flatMap(user -> selectAccount(userId, selector))
                .map(found -> new Principal(Principal.Type.USER, userId, found.account(), found.role(), List.of(),
                        null));
    }

    /**
     * A token of a configured OIDC issuer. Its (issuer, subject) names the user; the first valid
     * token creates the user (or links the existing user with the token's email) and so the
     * user's personal account. JWKS fetching is blocking I/O: it runs on a worker thread.
     */
    private Uni<Principal> byExternalToken(String token, String selector) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return externalTokens.verify(token);
            } catch (ParseException e) {
                return null;
            }
        })).onItem().ifNull().failWith(AuthenticateToken::unauthorized)
                .flatMap(identity -> identities
                        .findById(new UserIdentityEntity.Key(identity.issuer(), identity.subject()))
                        .flatMap(known -> known != null ? Uni.createFrom().item(known.userId) : firstSignIn(identity)))
                .flatMap(userId -> selectAccount(userId, selector)
                        .map(found -> new Principal(Principal.Type.USER, userId,
                                found.account(), found.role(), List.of(), null)));
    }

    private Uni<UUID> firstSignIn(ExternalTokens.Identity identity) {
        String email = identity.email() != null
                ? identity.email().toLowerCase()
                : identity.subject() + "@" + java.net.URI.create(identity.issuer()).getHost();
        return users.findByEmail(email)
                .flatMap(existing -> existing != null
                        ? Uni.createFrom().item(existing.id)
                        : createUser.create(email, null).map(created -> created.user().id))
                .call(userId -> {
                    UserIdentityEntity link = new UserIdentityEntity();
                    link.issuer = identity.issuer();
                    link.subject = identity.subject();
                    link.userId = userId;
                    link.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return identities.persist(link);
                });
    }

    /** Blank or {@code personal}: the personal account; else an id or exact name of one of the user's accounts. */
    private Uni<PgAccountRepository.WithRole> selectAccount(UUID userId, String selector) {
        String s = selector == null ? "" : selector.trim();
        return accounts.findForUser(userId).map(mine -> mine.stream()
                .filter(a -> s.isEmpty() || s.equals("personal")
                        ? "personal".equals(a.account().type)
                        : s.equals(a.account().id.toString()) || s.equals(a.account().name))
                .findFirst()
                .orElseThrow(() -> new ServiceException(ErrorCode.ACCOUNT_NOT_FOUND,
                        "no account '" + s + "' among yours")));
    }

    /** A key is bound to its account: any selector naming another account is refused. */
    static void checkSelector(String selector, AccountEntity bound) {
        if (selector == null || selector.isBlank()) {
            return;
        }
        boolean same = selector.equals("personal")
                ? "personal".equals(bound.type)
                : selector.equals(bound.id.toString()) || selector.equals(bound.name);
        if (!same) {
            throw new ServiceException(ErrorCode.ACCOUNT_MISMATCH,
                    "this API key is bound to another account than X-Chaser-Account names");
        }
    }

    private static List<String> scopes(ApiKeyEntity key) {
        return key.scopes == null ? List.of() : Arrays.asList(key.scopes);
    }

    static ServiceException unauthorized() {
        return new ServiceException(ErrorCode.UNAUTHORIZED, "the bearer token is missing, unknown, expired or revoked");
    }
}
