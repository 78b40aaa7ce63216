package sh.chaser.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import sh.chaser.gateway.domain.Route;
import sh.chaser.gateway.domain.RouteTable;

/**
 * docs/api.md's route table names exactly the routes the gateway serves (which the served contract
 * covers, ContractIT): a route added or removed on one side only fails here.
 */
class DocsAgreeTest {

    private static final Pattern ROW = Pattern.compile("^\\| ([A-Za-z, ()]+) \\| `(/v1/[^`]*)`", Pattern.MULTILINE);

    @Test
    void theApiReferenceListsEveryRouteAndNoOther() throws Exception {
        String doc = Files.readString(Path.of("../docs/api.md"));
        Set<String> documented = new TreeSet<>();
        Matcher m = ROW.matcher(doc);
        while (m.find()) {
            String path = m.group(2).replace("/...", "/**").replaceFirst("\\?.*$", "");
            for (String method : m.group(1).replace("(WebSocket)", "").split(",")) {
                String name = method.trim();
                documented.add((name.equals("any") ? Route.ANY_METHOD : name) + " " + path);
            }
        }
        Set<String> served = new TreeSet<>();
        RouteTable.ROUTES.forEach(r -> served.add(r.method() + " " + r.template()));
        Set<String> onlyDocumented = new TreeSet<>(documented);
        onlyDocumented.removeAll(served);
        Set<String> onlyServed = new TreeSet<>(served);
        onlyServed.removeAll(documented);
        assertTrue(onlyDocumented.isEmpty() && onlyServed.isEmpty(), "documented, not served: " + onlyDocumented
                + "\nserved, not documented: " + onlyServed);
        assertTrue(documented.size() > 40, "control: the table was read (" + documented.size() + " routes)");
    }
}
