package sh.chaser.workspace.domain;

import sh.chaser.common.api.ServiceException;

/** The two kinds of session a workspace can be locked to. */
public final class SessionTypes {

    public static final String BROWSER = "browser";
    public static final String SANDBOX = "sandbox";

    private SessionTypes() {}

    public static String require(String value) {
        if (!BROWSER.equals(value) && !SANDBOX.equals(value)) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "session_type must be \"browser\" or \"sandbox\"",
                    "session_type");
        }
        return value;
    }
}
