package sh.chaser.account;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import sh.chaser.testkit.ServiceDatabase;

/** Users as sign-up will create them (a user, their personal account, ownership), written directly. */
final class TestUsers {

    private TestUsers() {}

    /** What BootstrapAdmin wrote for the test profile: the administrator's email, password and key. */
    static java.util.Properties bootstrapCredentials() {
        java.util.Properties p = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("target/test-bootstrap.env"))) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    static String create(String email) {
        UUID user = UUID.randomUUID();
        UUID account = UUID.randomUUID();
        try (var c = ServiceDatabase.connect()) {
            var now = Timestamp.from(Instant.now());
            try (var s = c.prepareStatement("INSERT INTO users (id, email, created_at) VALUES (?, ?, ?)")) {
                s.setObject(1, user);
                s.setString(2, email);
                s.setTimestamp(3, now);
                s.executeUpdate();
            }
            try (var s = c.prepareStatement(
                    "INSERT INTO accounts (id, name, type, personal_of, created_at) VALUES (?, ?, 'personal', ?, ?)")) {
                s.setObject(1, account);
                s.setString(2, email);
                s.setObject(3, user);
                s.setTimestamp(4, now);
                s.executeUpdate();
            }
            try (var s = c.prepareStatement(
                    "INSERT INTO memberships (account_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)")) {
                s.setObject(1, account);
                s.setObject(2, user);
                s.setTimestamp(3, now);
                s.executeUpdate();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return user.toString();
    }

    static String personalAccount(UUID user) {
        try (var c = ServiceDatabase.connect();
                var s = c.prepareStatement("SELECT id FROM accounts WHERE personal_of = ?")) {
            s.setObject(1, user);
            var rs = s.executeQuery();
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
