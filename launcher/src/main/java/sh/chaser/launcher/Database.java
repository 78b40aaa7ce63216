package sh.chaser.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import java.util.Properties;

/**
 * Which PostgreSQL server the platform uses: {@code CHASER_DB_URL} if set, else one on
 * 127.0.0.1:5432 that accepts the login, else an embedded one. The choice is remembered in
 * {@code .chaser/database.properties} so a later {@code up} finds the same data.
 */
public record Database(String mode, String host, int port, String user, String password) {

    public static final String EXTERNAL = "external";
    public static final String LOCAL = "local";
    public static final String EMBEDDED = "embedded";

    public boolean embedded() {
        return EMBEDDED.equals(mode);
    }

    public String describe() {
        return mode + " PostgreSQL at " + host + ":" + port;
    }

    /** The server {@code up} uses: chosen on the first {@code up}, remembered from then on. */
    public static Database choose(Settings settings, Map<String, String> env) throws IOException {
        return find(settings, env, true);
    }

    /**
     * The server of an existing installation, for {@code down} and {@code status}: never probes
     * or remembers anything (an installation that never ran has no embedded PostgreSQL).
     */
    public static Database known(Settings settings, Map<String, String> env) throws IOException {
        return find(settings, env, false);
    }

    private static Database find(Settings settings, Map<String, String> env, boolean choose) throws IOException {
        String url = env.get("CHASER_DB_URL");
        if (url != null && !url.isBlank()) {
            return fromUrl(url);
        }
        Path remembered = settings.home().resolve("database.properties");
        if (Files.exists(remembered)) {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(remembered)) {
                p.load(in);
            }
            return new Database(p.getProperty("mode"), p.getProperty("host"), Integer.parseInt(p.getProperty("port")),
                    p.getProperty("user"), p.getProperty("password", ""));
        }
        Database local = new Database(LOCAL, "127.0.0.1", 5432, env.getOrDefault("CHASER_DB_USER", "postgres"),
                env.getOrDefault("CHASER_DB_PASSWORD", "postgres"));
        if (!choose) {
            return local;
        }
        Database chosen = local.accepts()
                ? local
                : new Database(EMBEDDED, "127.0.0.1", settings.embeddedPostgresPort(), "postgres", "postgres");
        Properties p = new Properties();
        p.setProperty("mode", chosen.mode);
        p.setProperty("host", chosen.host);
        p.setProperty("port", Integer.toString(chosen.port));
        p.setProperty("user", chosen.user);
        p.setProperty("password", chosen.password);
        Files.createDirectories(settings.home());
        try (var out = Files.newBufferedWriter(remembered)) {
            p.store(out, "PostgreSQL chosen by the first ./chaser up; delete to choose again");
        }
        return chosen;
    }

    static Database fromUrl(String url) {
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
        String[] userInfo = uri.getUserInfo() == null ? new String[]{ "postgres" } : uri.getUserInfo().split(":", 2);
        return new Database(EXTERNAL, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
                userInfo.length > 1 ? userInfo[1] : "");
    }

    public boolean accepts() {
        try (var c = DriverManager.getConnection(
                "jdbc:postgresql://" + host + ":" + port + "/postgres?connectTimeout=2",
                user, password)) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }
}
