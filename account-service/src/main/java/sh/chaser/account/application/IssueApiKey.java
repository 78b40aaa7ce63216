package sh.chaser.account.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import sh.chaser.account.domain.ApiKeySecret;
import sh.chaser.account.persistence.ApiKeyEntity;
import sh.chaser.account.persistence.PgApiKeyRepository;

/** Creates a key bound to one account; the secret is returned once and only its hash is kept. */
@ApplicationScoped
public class IssueApiKey {

    public record Issued(ApiKeyEntity key, ApiKeySecret secret) {}

    @Inject
    PgApiKeyRepository keys;

    public Uni<Issued> issue(UUID accountId, UUID userId, String name, List<String> scopes) {
        return issue(accountId, userId, null, name, scopes);
    }

    /** Exactly one of userId and serviceAccountId is set. */
    public Uni<Issued> issue(UUID accountId, UUID userId, UUID serviceAccountId, String name, List<String> scopes) {
        ApiKeySecret secret = ApiKeySecret.generate();
        ApiKeyEntity key = new ApiKeyEntity();
        key.id = UUID.randomUUID();
        key.accountId = accountId;
        key.userId = userId;
        key.serviceAccountId = serviceAccountId;
        key.name = name;
        key.keyPrefix = secret.displayPrefix();
        key.keyHash = secret.hash();
        key.scopes = scopes.toArray(String[]::new);
        key.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        return keys.persist(key).replaceWith(new Issued(key, secret));
    }
}
