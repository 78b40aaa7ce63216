package sh.chaser.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Points a service under test at a real PostgreSQL server and a real Kafka broker. The database
 * name is new for every run ({@code <prefix>_t<hex>}), so the service itself must create it:
 * that is part of what the tests prove. Init arg {@code database} sets the prefix.
 */
public class ServiceInfraResource implements QuarkusTestResourceLifecycleManager {

    private String prefix = "chaser";
    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        prefix = initArgs.getOrDefault("database", prefix);
    }

    @Override
    public Map<String, String> start() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        database = prefix + "_t" + HexFormat.of().formatHex(random);
        TestPostgres.Server pg = TestPostgres.server();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(database));
        config.put("quarkus.datasource.reactive.url", pg.reactiveUrl(database));
        config.put("quarkus.datasource.username", pg.user());
        config.put("quarkus.datasource.password", pg.password());
        config.putAll(TestKafka.quarkusConfig());
        return config;
    }

    @Override
    public void stop() {
        TestPostgres.Server pg = TestPostgres.server();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
                var s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (java.sql.SQLException e) {
            System.err.println("could not drop test database " + database + ": " + e.getMessage());
        }
    }
}
