package sh.chaser.session.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import sh.chaser.session.config.SessionConfig;
import sh.chaser.session.persistence.SessionEntity;

/**
 * The public URLs of a session: {@code <scheme>://<id>.<session domain>/} (subdomain style) and
 * {@code <api url>/s/<id>/} (path style); both reach the gateway, which routes them to the session.
 */
@ApplicationScoped
public class Endpoints {

    /**
     * @param cdp the browser's DevTools WebSocket through the gateway ({@code ws(s)://.../s/<id>/devtools/browser},
     *            which the gateway maps to the browser's own id); null for sandboxes
     */
    public record Urls(String control, String path, String cdp) {}

    @Inject
    SessionConfig config;

    public Urls of(SessionEntity s) {
        URI api = URI.create(config.endpoints().apiUrl());
        String domain = config.endpoints().sessionDomain().filter(d -> !d.isBlank())
                .orElseGet(() -> defaultDomain(api));
        String base = config.endpoints().apiUrl().replaceAll("/+$", "");
        String cdp = "browser".equals(s.sessionType)
                ? base.replaceFirst("^http", "ws") + "/s/" + s.id + "/devtools/browser"
                : null;
        return new Urls(api.getScheme() + "://" + s.id + "." + domain + "/", base + "/s/" + s.id + "/", cdp);
    }

    /**
     * The API's host (and port) without a leading "api.": api.chaser.sh → chaser.sh, localhost:8080
     * stays, 127.0.0.1:8080 becomes localhost:8080.
     */
    static String defaultDomain(URI api) {
        String host = api.getHost().startsWith("api.") ? api.getHost().substring(4) : api.getHost();
        if (host.matches("[0-9.]+|\\[.*]")) {
            host = "localhost"; // an address has no subdomains; *.localhost resolves to loopback
        }
        return api.getPort() > 0 ? host + ":" + api.getPort() : host;
    }
}
