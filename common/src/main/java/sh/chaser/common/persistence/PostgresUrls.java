package sh.chaser.common.persistence;

/** Renders database URLs for logs: no query string, so no password can leak. */
public final class PostgresUrls {

    private PostgresUrls() {}

    public static String withoutCredentials(String url) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        int at = base.indexOf('@');
        return at < 0 ? base : base.substring(0, base.indexOf("//") + 2) + base.substring(at + 1);
    }
}
