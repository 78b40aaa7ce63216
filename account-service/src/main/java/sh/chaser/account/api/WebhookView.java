package sh.chaser.account.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import sh.chaser.account.persistence.WebhookEntity;

/** A webhook; {@code secret} only in the create response (else omitted), {@code secret_prefix} always. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// what is never null, so always present (the contract's required fields)
@Schema(requiredProperties = { "id", "url", "events", "secret_prefix", "created_at" })
public record WebhookView(String id, String url, List<String> events, String description, String secret,
        String secretPrefix, OffsetDateTime createdAt) {

    public static WebhookView of(WebhookEntity w, String secret) {
        return new WebhookView(w.id.toString(), w.url, List.of(w.events), w.description, secret, w.secretPrefix,
                w.createdAt);
    }
}
