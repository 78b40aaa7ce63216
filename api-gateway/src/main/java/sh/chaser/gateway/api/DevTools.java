package sh.chaser.gateway.api;

import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser session's DevTools endpoints (Chromium's {@code json/...} and {@code devtools/...}):
 * which paths they are, where they live in the sandbox, and the rewriting of the WebSocket URLs
 * Chromium hands out (its own address inside the sandbox) to the gateway's, in the endpoint style
 * the client used, so {@code connectOverCDP} and {@code puppeteer.connect} follow them unchanged.
 */
final class DevTools {

    /** Chromium's remote-debugging port inside a browser sandbox (see the vm-agent's BrowserInit). */
    static final int PORT = sh.chaser.contracts.DataPlaneContract.DEVTOOLS_PORT;
    private static final Pattern WS_URL = Pattern.compile("ws://[^/\"]+(/devtools/[^\"?]*)");
    private static final Pattern FRONTEND_WS = Pattern.compile("ws=[^/\"&]+(/devtools/)");

    private DevTools() {}

    static boolean isDevTools(String rest) {
        return rest.equals("/json") || rest.startsWith("/json/") || rest.equals("/devtools")
                || rest.startsWith("/devtools/");
    }

    /** The browser's own WebSocket without its id (what {@code endpoints.cdp} names). */
    static boolean isBrowserWithoutId(String rest) {
        return rest.equals("/devtools/browser") || rest.equals("/devtools/browser/");
    }

    /** {@code ws(s)://<host the client used><prefix the client used>}, e.g. {@code ws://localhost:8080/s/<id>}. */
    static String publicBase(RoutingContext ctx, String rest) {
        String forwarded = ctx.request().getHeader("X-Forwarded-Proto");
        boolean secure = ctx.request().isSSL() || "https".equalsIgnoreCase(forwarded);
        String path = ctx.request().path();
        String prefix = path.endsWith(rest) ? path.substring(0, path.length() - rest.length()) : "";
        return (secure ? "wss://" : "ws://") + ctx.request().authority() + prefix;
    }

    /** Points every DevTools WebSocket URL in Chromium's answer back through the gateway. */
    static String rewrite(String body, String base, Supplier<String> tokenQuery) {
        Matcher m = WS_URL.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(base + m.group(1) + tokenQuery.get()));
        }
        m.appendTail(out);
        String withoutScheme = base.replaceFirst("^wss?://", "");
        return FRONTEND_WS.matcher(out.toString()).replaceAll(Matcher.quoteReplacement("ws=" + withoutScheme) + "$1");
    }

    /** The path of the browser's WebSocket in a {@code json/version} answer. */
    static String browserPath(String versionJson) {
        Matcher m = WS_URL.matcher(versionJson);
        return m.find() ? m.group(1) : null;
    }
}
