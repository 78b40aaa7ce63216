package sh.chaser.account.application;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import sh.chaser.common.api.ServiceException;
import sh.chaser.account.domain.ApiKeySecret;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.persistence.AccountEntity;
import sh.chaser.account.persistence.ApiKeyEntity;
import sh.chaser.account.persistence.PgAccountRepository;
import sh.chaser.account.persistence.PgApiKeyRepository;
import sh.chaser.account.persistence.PgMembershipRepository;

/** Turns a bearer token and an optional X-Chaser-Account selector into a {@link Principal}. */
@ApplicationScoped
public class AuthenticateToken {

    @Inject
    PgApiKeyRepository keys;
    @Inject
    PgAccountRepository accounts;
    @Inject
    PgMembershipRepository memberships;

    @WithTransaction
    public Uni<Principal> authenticate(String token, String selector) {
        if (!ApiKeySecret.looksLikeKey(token)) {
            return Uni.createFrom().failure(unauthorized());
        }
        return keys.findActiveByHash(ApiKeySecret.hash(token))
                .onItem().ifNull().failWith(AuthenticateToken::unauthorized)
                .flatMap(key -> accounts.findById(key.accountId)
                        .flatMap(account -> {
                            checkSelector(selector, account);
                            return memberships.find(account.id, key.userId)
                                    .onItem().ifNull().failWith(AuthenticateToken::unauthorized)
                                    .flatMap(membership -> keys.touch(key.id, OffsetDateTime.now(ZoneOffset.UTC))
                                            .replaceWith(principal(key, account, membership.role)));
                        }));
    }

    /** A key is bound to its account: any selector naming another account is refused. */
    static void checkSelector(String selector, AccountEntity bound) {
        if (selector == null || selector.isBlank()) {
            return;
        }
        boolean same = selector.equals("personal") ? "personal".equals(bound.type)
                : selector.equals(bound.id.toString()) || selector.equals(bound.name);
        if (!same) {
            throw new ServiceException(ErrorCode.ACCOUNT_MISMATCH,
                    "this API key is bound to another account than X-Chaser-Account names");
        }
    }

    private static Principal principal(ApiKeyEntity key, AccountEntity account, String role) {
        List<String> scopes = key.scopes == null ? List.of() : Arrays.asList(key.scopes);
        return new Principal(Principal.Type.USER, key.userId, account, role, scopes, key.id);
    }

    private static ServiceException unauthorized() {
        return new ServiceException(ErrorCode.UNAUTHORIZED, "the bearer token is missing, unknown or revoked");
    }
}
