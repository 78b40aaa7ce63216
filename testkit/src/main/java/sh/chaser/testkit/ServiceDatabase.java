package sh.chaser.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.eclipse.microprofile.config.ConfigProvider;

/** A JDBC connection to the database of the service under test, to check what it stored. */
public final class ServiceDatabase {

    private ServiceDatabase() {}

    public static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }

    /** Every row of {@code table} as text, one per line. */
    public static String dump(String table) throws SQLException {
        try (Connection c = connect();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT t::text FROM " + table + " t")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(rs.getString(1)).append('\n');
            }
            return out.toString();
        }
    }
}
