package sh.chaser.gateway.application;

import java.util.Map;

/**
 * Where the gateway's refusals go (no or bad token, missing scope, foreign account, an agent's own
 * refusal of a data-plane call): the audit trail. The messaging adapter implements it.
 */
public interface RefusalRecorder {

    /**
     * @param accountId  the account the request tried to act in, when known
     * @param principal  {@code user:<id>} or {@code service_account:<id>}, when known
     */
    default void refused(String accountId, String principal, String method, String path, String code,
            String requestId) {
        refused(accountId, principal, method, path, code, requestId, Map.of());
    }

    void refused(String accountId, String principal, String method, String path, String code, String requestId,
            Map<String, String> details);
}
