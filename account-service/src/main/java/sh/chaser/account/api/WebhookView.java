package sh.chaser.account.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import sh.chaser.account.persistence.WebhookEntity;

/** A webhook; {@code secret} only in the create response (else omitted), {@code secret_prefix} always. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookView(String id, String url, List<String> events, String description, String secret,
        String secretPrefix, OffsetDateTime createdAt) {

    public static WebhookView of(WebhookEntity w, String secret) {
        return new WebhookView(w.id.toString(), w.url, List.of(w.events), w.description, secret, w.secretPrefix,
                w.createdAt);
    }
}
