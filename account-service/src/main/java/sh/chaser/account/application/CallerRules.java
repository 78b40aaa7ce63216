package sh.chaser.account.application;

import sh.chaser.account.domain.ErrorCode;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.security.InternalCaller;

/** Who may act, checked before any lookup so a refused caller learns nothing from the answer. */
public final class CallerRules {

    private CallerRules() {}

    /** Users only (not service accounts); else 403 with {@code why}. */
    public static void requireUser(InternalCaller caller, String why) {
        if (!caller.isUser()) {
            throw new ServiceException(ErrorCode.FORBIDDEN, why);
        }
    }

    /** Users who are owners or admins of the account; else 403 with {@code why}. */
    public static void requireOwnerOrAdmin(InternalCaller caller, String why) {
        if (!caller.isUser() || !caller.isOwnerOrAdmin()) {
            throw new ServiceException(ErrorCode.FORBIDDEN, why);
        }
    }
}
