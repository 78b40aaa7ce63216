package sh.chaser.account.domain;

import java.util.Locale;
import java.util.regex.Pattern;
import sh.chaser.common.api.ServiceException;

public final class Emails {

    private static final Pattern SHAPE = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}");

    private Emails() {}

    /** The address trimmed and lower-cased, or a 400 naming {@code field}. */
    public static String normalize(String email, String field) {
        String e = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        if (!SHAPE.matcher(e).matches()) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "a valid email address is required", field);
        }
        return e;
    }
}
