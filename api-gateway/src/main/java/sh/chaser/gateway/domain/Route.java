package sh.chaser.gateway.domain;

import java.util.regex.Pattern;

/**
 * One public route: where it goes and the scope a key needs for it.
 *
 * @param scope the scope required, or null when any authenticated caller may call it (roles still apply)
 * @param open  true for the few routes that need no token (sign-in, JWKS)
 */
public record Route(String method, String template, Backend backend, String scope, boolean open) {

    /** A route for every method (port forwarding). */
    public static final String ANY_METHOD = "*";

    /** Placeholders match one segment; a trailing {@code /**} matches the rest of the path, if any. */
    public Pattern pattern() {
        String base = template.endsWith("/**") ? template.substring(0, template.length() - 3) : template;
        String regex = base.replaceAll("\\{[^/]+}", "[^/]+");
        return Pattern.compile(template.endsWith("/**") ? regex + "(/.*)?" : regex);
    }

    public boolean accepts(String requestMethod) {
        return method.equals(ANY_METHOD) || method.equals(requestMethod);
    }

    /** Routes without placeholders win over templated ones (bulk-terminate before {id}). */
    public int specificity() {
        return template.contains("{") ? 0 : 1;
    }
}
