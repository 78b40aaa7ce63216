package sh.chaser.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Each service's own database and its own login role (named as the database), as CloudNativePG
 * gives each in Kubernetes: the launcher creates both with the server's administrator login, the
 * database owned by the role, {@code CONNECT} revoked from PUBLIC; a service never holds the
 * administrator's password and cannot open another service's database. Passwords are random,
 * owner-only in {@code keys/db-<database>.password}. An installation whose databases were made by
 * the administrator before has their objects handed to the role on the next {@code up}.
 */
final class ServiceDatabases {

    record Login(String user, String password) {}

    private final Database server;
    private final Path keys;

    ServiceDatabases(Database server, Settings settings) {
        this.server = server;
        this.keys = settings.home().resolve("keys");
    }

    Path passwordFile(String database) {
        return keys.resolve("db-" + database + ".password");
    }

    /** How long a service's transaction may sit idle before PostgreSQL ends it (none waits on a remote call). */
    static final String IDLE_IN_TRANSACTION = "20s";

    /** The role of {@code database}, made (or its objects handed over) where needed. */
    Login ensure(String database) throws IOException, SQLException {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a database name: " + database);
        }
        String password = password(database);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            boolean role = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + database + "'").next();
            s.execute((role ? "ALTER" : "CREATE") + " ROLE " + database + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                    + "PASSWORD '" + password + "'");
            // a transaction a service abandoned (a crashed request chain) must not hold its row locks
            // and its pool connection forever: PostgreSQL ends it, the pool drops the connection
            s.execute("ALTER ROLE " + database + " SET idle_in_transaction_session_timeout = '"
                    + IDLE_IN_TRANSACTION + "'");
            if (!s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'").next()) {
                s.execute("CREATE DATABASE " + database + " OWNER " + database);
            }
            s.execute("ALTER DATABASE " + database + " OWNER TO " + database);
            s.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
        }
        handOver(database);
        return new Login(database, password);
    }

    /** Tables, sequences and views the administrator made before (earlier installs) become the role's. */
    private void handOver(String database) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            // tables first: their columns' sequences follow them (and refuse to be handed over alone)
            for (String kinds : List.of("'r','p'", "'S','v'")) {
                List<String> objects = new ArrayList<>();
                var rows = s.executeQuery("SELECT quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON "
                        + "n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN (" + kinds + ") "
                        + "AND pg_get_userbyid(c.relowner) <> '" + database + "'");
                while (rows.next()) {
                    objects.add(rows.getString(1));
                }
                for (String object : objects) {
                    s.execute("ALTER TABLE public." + object + " OWNER TO " + database);
                }
            }
        }
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + database,
                server.user(), server.password());
    }

    private String password(String database) throws IOException {
        Path file = passwordFile(database);
        if (!Files.exists(file)) {
            Files.createDirectories(keys);
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, HexFormat.of().formatHex(random));
        }
        return Files.readString(file).strip();
    }
}
