package sh.chaser.account.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import sh.chaser.account.persistence.ApiKeyEntity;

/** A key as listed; {@code key} (the secret) is present only in the response that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// what is never null, so always present (the contract's required fields)
@Schema(requiredProperties = { "id", "key_prefix", "scopes", "full_access", "created_at" })
public record ApiKeyView(String id, String key, String keyPrefix, String name, List<String> scopes, boolean fullAccess,
        OffsetDateTime createdAt, OffsetDateTime lastUsedAt) {

    static ApiKeyView of(ApiKeyEntity k, String secret) {
        List<String> scopes = k.scopes == null ? List.of() : Arrays.asList(k.scopes);
        return new ApiKeyView(k.id.toString(), secret, k.keyPrefix, k.name, scopes, scopes.isEmpty(), k.createdAt,
                k.lastUsedAt);
    }
}
