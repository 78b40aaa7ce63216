package sh.chaser.common.persistence;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/** Creates a service's own database on its PostgreSQL server when it does not exist yet. */
public final class PostgresDatabases {

    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private PostgresDatabases() {}

    /**
     * @param jdbcUrl the service's own database, {@code jdbc:postgresql://host:port/name?...}
     * @return true when the database was created by this call
     */
    public static boolean createIfMissing(String jdbcUrl, String user, String password) throws SQLException {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String name = uri.getPath().substring(1);
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + SAFE_NAME + ": " + name);
        }
        String maintenanceUrl = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort())
                + "/postgres";
        try (Connection c = DriverManager.getConnection(maintenanceUrl, user, password)) {
            // Replicas start together: the check and the create are one step under a session-level
            // advisory lock (CREATE DATABASE cannot run inside a transaction).
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
                lock.setString(1, "chaser.create-database:" + name);
                lock.execute();
            }
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                if (exists.executeQuery().next()) {
                    return false;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + name);
                return true;
            } catch (SQLException e) {
                // 42P04 duplicate_database, 23505 on pg_database: created by someone outside the lock.
                if ("42P04".equals(e.getSQLState()) || "23505".equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
        }
    }
}
