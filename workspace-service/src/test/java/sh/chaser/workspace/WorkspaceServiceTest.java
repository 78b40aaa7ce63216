package sh.chaser.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;
import sh.chaser.testkit.ServiceDatabase;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;

@QuarkusTest
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_workspace"))
class WorkspaceServiceTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void createsItsDatabaseAndAppliesMigrations() throws Exception {
        try (var c = ServiceDatabase.connect();
                var s = c.createStatement();
                var rs = s.executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            rs.next();
            assertEquals("1", rs.getString(1));
            rs.next();
            assertEquals("2", rs.getString(1));
            rs.next();
            assertEquals("3", rs.getString(1));
        }
    }

    @Test
    void readyWithDatabaseAndKafkaAndObservable() {
        ServiceEndpoints.assertReadyWithDatabaseAndKafka(management);
        ServiceEndpoints.assertMetricsOnTheManagementPortOnly(management);
    }
}
