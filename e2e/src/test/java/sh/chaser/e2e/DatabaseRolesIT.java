package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * An attacker holding one service's database login (read from its process's environment): it
 * opens that service's database and no other's, and is no administrator; no service process holds
 * the administrator's password.
 */
@PlatformHost
class DatabaseRolesIT {

    private static final List<String> SERVICES = List.of("account", "workspace", "session");

    @Test
    void eachLoginOpensOnlyItsOwnDatabase() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        for (String as : SERVICES) {
            for (String service : SERVICES) {
                if (as.equals(service)) {
                    // positive control: the probe connects where it may, and is not a superuser there
                    try (var c = platform.databaseAs(service, as); var s = c.createStatement()) {
                        var row = s.executeQuery("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles "
                                + "WHERE rolname = current_user");
                        assertTrue(row.next());
                        assertEquals("false false false", row.getBoolean(1) + " " + row.getBoolean(2) + " "
                                + row.getBoolean(3), as + "'s role holds no administrator rights");
                    }
                    continue;
                }
                SQLException refused = assertThrows(SQLException.class, () -> platform.databaseAs(service, as).close(),
                        as + "'s login opens " + service + "'s database");
                // 42501 insufficient_privilege: "permission denied for database"
                assertEquals("42501", refused.getSQLState(), refused.getMessage());
            }
        }
    }

    @Test
    void noServiceProcessHoldsTheAdministratorsPassword() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        Properties db = new Properties();
        try (var in = Files.newBufferedReader(platform.home.resolve("database.properties"))) {
            db.load(in);
        }
        for (String service : SERVICES) {
            String environ = Files
                    .readString(Path.of("/proc", Long.toString(platform.pids(service + "-service").get(0)),
                            "environ"))
                    .replace('\0', '\n');
            assertTrue(environ.contains("CHASER_DB_USER=chaser_" + service + platform.dbSuffix + "\n"),
                    "positive control: the probe reads " + service + "'s login");
            assertTrue(!environ.contains("CHASER_DB_PASSWORD=" + db.getProperty("password") + "\n"),
                    service + " holds the administrator's password");
        }
    }
}
