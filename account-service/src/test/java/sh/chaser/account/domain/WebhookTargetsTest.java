package sh.chaser.account.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import sh.chaser.common.api.ServiceException;

class WebhookTargetsTest {

    private static final WebhookTargets PRODUCTION = new WebhookTargets(false, List.of());
    private static final WebhookTargets DEVELOPMENT = new WebhookTargets(true, List.of());

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static String refusal(WebhookTargets rules, String url, String... addresses) {
        ServiceException e = assertThrows(ServiceException.class, () -> {
            var target = rules.parse(url);
            List<InetAddress> resolved = new java.util.ArrayList<>();
            for (String a : addresses) {
                resolved.add(ip(a));
            }
            rules.choose(target, resolved);
        });
        assertEquals("url", e.field());
        return e.getMessage();
    }

    @Test
    void productionAcceptsHttpsToPublicAddressesOnly() throws Exception {
        var target = PRODUCTION.parse("https://hooks.example.com/chaser?x=1");
        assertEquals(443, target.port());
        assertEquals(ip("93.184.216.34"), PRODUCTION.choose(target, List.of(ip("93.184.216.34"))));
        refusal(PRODUCTION, "http://hooks.example.com/", "93.184.216.34");
        for (String inside : List.of("127.0.0.1", "::1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "fd00::1", "fe80::1", "::ffff:10.0.0.1", "224.0.0.1")) {
            refusal(PRODUCTION, "https://hooks.example.com/", inside);
        }
    }

    @Test
    void oneRefusedAddressAmongSeveralRefusesTheUrl() {
        refusal(PRODUCTION, "https://hooks.example.com/", "93.184.216.34", "10.0.0.1");
    }

    @Test
    void developmentAllowsHttpToLoopbackButNotToPrivateNetworks() throws Exception {
        var target = DEVELOPMENT.parse("http://127.0.0.1:8999/hook");
        assertEquals(ip("127.0.0.1"), DEVELOPMENT.choose(target, List.of(ip("127.0.0.1"))));
        refusal(DEVELOPMENT, "http://10.0.0.5/hook", "10.0.0.5");
        refusal(DEVELOPMENT, "https://10.0.0.5/hook", "10.0.0.5");
    }

    @Test
    void anOperatorMayAllowAPrivateNetworkForHttpsReceivers() throws Exception {
        var rules = new WebhookTargets(false, List.of(Cidr.parse("10.20.0.0/16")));
        assertEquals(ip("10.20.3.4"), rules.choose(rules.parse("https://hooks.internal/"), List.of(ip("10.20.3.4"))));
        refusal(rules, "https://hooks.internal/", "10.21.0.1");
        refusal(rules, "http://hooks.internal/", "10.20.3.4");
    }

    @Test
    void malformedUrlsAreRefused() {
        for (String url : List.of("", "ftp://example.com/", "https://user:pw@example.com/", "https:///nohost",
                "https://example.com/#frag", "not a url")) {
            assertThrows(ServiceException.class, () -> DEVELOPMENT.parse(url), url);
        }
    }
}
