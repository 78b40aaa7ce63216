package sh.chaser.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.sql.DriverManager;

/**
 * The PostgreSQL server tests use: {@code CHASER_DB_URL} (postgresql://user:password@host:port)
 * when set, else one on 127.0.0.1:5432 that accepts the login, else an embedded one for this JVM.
 */
public final class TestPostgres {

    public record Server(String host, int port, String user, String password) {

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public String reactiveUrl(String database) {
            return "postgresql://" + host + ":" + port + "/" + database;
        }
    }

    private static Server server;
    private static EmbeddedPostgres embedded;

    private TestPostgres() {}

    public static synchronized Server server() {
        if (server == null) {
            server = find();
        }
        return server;
    }

    private static Server find() {
        String url = System.getenv("CHASER_DB_URL");
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url);
            String[] userInfo = uri.getUserInfo() == null
                    ? new String[]{ "postgres", "" }
                    : uri.getUserInfo().split(":", 2);
            return new Server(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
                    userInfo.length > 1 ? userInfo[1] : "");
        }
        String password = System.getenv().getOrDefault("CHASER_DB_PASSWORD", "postgres");
        Server local = new Server("127.0.0.1", 5432, System.getenv().getOrDefault("CHASER_DB_USER", "postgres"),
                password);
        if (accepts(local)) {
            return local;
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::closeEmbedded));
            return new Server("127.0.0.1", embedded.getPort(), "postgres", "postgres");
        } catch (Exception e) {
            throw new IllegalStateException("no PostgreSQL configured or local, and the embedded one failed", e);
        }
    }

    private static boolean accepts(Server s) {
        try (var c = DriverManager.getConnection(s.jdbcUrl("postgres"), s.user(), s.password())) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    private static void closeEmbedded() {
        try {
            embedded.close();
        } catch (Exception ignored) {
            // the JVM is exiting
        }
    }
}
