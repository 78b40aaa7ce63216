package sh.chaser.gateway.domain;

import java.util.regex.Pattern;

/**
 * One public route: where it goes and the scope a key needs for it.
 *
 * @param scope the scope required, or null when any authenticated caller may call it (roles still apply)
 * @param open  true for the few routes that need no token (sign-in, JWKS)
 */
public record Route(String method, String template, Backend backend, String scope, boolean open) {

    public Pattern pattern() {
        return Pattern.compile(template.replaceAll("\\{[^/]+}", "[^/]+"));
    }

    /** Routes without placeholders win over templated ones (bulk-terminate before {id}). */
    public int specificity() {
        return template.contains("{") ? 0 : 1;
    }
}
