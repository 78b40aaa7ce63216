package sh.chaser.account.domain;

import java.util.Arrays;
import sh.chaser.common.api.ServiceException;

/** A member's role in an account, and the rules of who may touch whom (API.md section 6). */
public enum Role {

    OWNER,
    ADMIN,
    MEMBER;

    public String value() {
        return name().toLowerCase();
    }

    public static Role of(String value) {
        return Arrays.stream(values()).filter(r -> r.value().equals(value)).findFirst().orElse(null);
    }

    public static Role parse(String value, String field) {
        Role role = of(value);
        if (role == null) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "role must be owner, admin or member", field);
        }
        return role;
    }

    /** Owners and admins manage members; only owners touch owners (as target or as new role). */
    public static void checkMayManage(Role caller, Role targetBefore, Role targetAfter) {
        if (caller != OWNER && caller != ADMIN) {
            throw new ServiceException(ErrorCode.FORBIDDEN, "only owners and admins manage members");
        }
        if ((targetBefore == OWNER || targetAfter == OWNER) && caller != OWNER) {
            throw new ServiceException(ErrorCode.FORBIDDEN, "only owners add, change or remove owners");
        }
    }
}
