package sh.chaser.account.domain;

import sh.chaser.common.api.ServiceException;

public final class AccountNames {

    public static final int MAX = 64;

    private AccountNames() {}

    /**
     * 1 to 64 characters, no control characters; "personal" is reserved because it selects the
     * caller's personal account in X-Chaser-Account.
     */
    public static String validate(String name) {
        String n = name == null ? "" : name.trim();
        if (n.isEmpty() || n.length() > MAX || n.chars().anyMatch(Character::isISOControl)) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "name must be 1 to " + MAX + " printable characters",
                    "name");
        }
        if (n.equalsIgnoreCase("personal")) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "'personal' is reserved", "name");
        }
        return n;
    }
}
