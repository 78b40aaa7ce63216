package sh.chaser.contracts;

import java.util.List;

/** The 14 scopes of API keys (API.md section 2). A key without scopes has full access. */
public final class Scopes {

    public static final String SESSIONS_READ = "sessions.read";
    public static final String SESSIONS_WRITE = "sessions.write";
    public static final String WORKSPACES_READ = "workspaces.read";
    public static final String WORKSPACES_WRITE = "workspaces.write";
    public static final String EXEC_WRITE = "exec.write";
    public static final String FILES_READ = "files.read";
    public static final String FILES_WRITE = "files.write";
    public static final String KEYS_READ = "keys.read";
    public static final String KEYS_WRITE = "keys.write";
    public static final String BILLING_READ = "billing.read";
    public static final String BILLING_WRITE = "billing.write";
    public static final String AUDIT_READ = "audit.read";
    public static final String WEBHOOKS_READ = "webhooks.read";
    public static final String WEBHOOKS_WRITE = "webhooks.write";

    /**
     * Not a scope a key can be given: what routes that change members, organizations or a password
     * need, so only a full-access credential (a key without scopes, a signed-in user) reaches them.
     */
    public static final String FULL_ACCESS = "full_access";

    public static final List<String> ALL = List.of(SESSIONS_READ, SESSIONS_WRITE, WORKSPACES_READ, WORKSPACES_WRITE,
            EXEC_WRITE, FILES_READ, FILES_WRITE, KEYS_READ, KEYS_WRITE, BILLING_READ, BILLING_WRITE, AUDIT_READ,
            WEBHOOKS_READ, WEBHOOKS_WRITE);

    private Scopes() {}
}
