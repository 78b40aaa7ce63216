package sh.chaser.common.security;

import java.util.UUID;

/**
 * Who acted, in which account: the part of {@link InternalCaller} that outlives the request (work
 * finished on another thread, or by a service's own reconcile loop as {@link #system}).
 */
public record Actor(UUID accountId, String type, String id) {

    public static Actor of(InternalCaller caller) {
        return new Actor(caller.accountId(), caller.isUser() ? "user" : "service_account",
                caller.principalId().toString());
    }

    /** The service itself, finishing work a caller started. */
    public static Actor system(UUID accountId, String service) {
        return new Actor(accountId, "system", service);
    }
}
