package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.contracts.AgentJoin;
import sh.chaser.contracts.InternalCallers;

/**
 * How a vm-agent gets its certificate, attacked: the platform's own agent joined (its port serves a
 * certificate of the agent issuer naming its host: the positive control of the whole flow); a join
 * without the installation's token is 401; with the token under the platform's host id but without
 * that host's credential 403 (no takeover); a request asking for a service's name still gets a
 * vm-agent certificate; and the agent issuer's key (session-service's) mints no service: a
 * certificate it signs for api-gateway, or for Kafka's super user, is refused, next to the real ones.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentJoinIT {

    private LocalPlatform platform;
    private Shell shell;
    private Path dir;
    private HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        shell = new Shell(Map.of());
        dir = Files.createTempDirectory("agent-join-it");
        http = HttpClient.newBuilder().sslContext(platform.tls(InternalCallers.GATEWAY).sslContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        // a key and a request for a service's name, as an attacker would send
        shell.run("cd " + dir + " && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                + "-subj '/O=Chaser/CN=api-gateway' -keyout req.key -out req.csr 2>/dev/null");
    }

    private HttpResponse<String> join(String hostId, String token, String credential) throws Exception {
        String body = json.writeValueAsString(Map.of(AgentJoin.HOST_ID, hostId, AgentJoin.JOIN_TOKEN, token,
                AgentJoin.HOST_CREDENTIAL, credential, AgentJoin.CSR, Files.readString(dir.resolve("req.csr"))));
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + platform.joinPort() + AgentJoin.PATH))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<X509Certificate> chain(String pem) throws Exception {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
                .map(X509Certificate.class::cast).toList();
    }

    @Test
    void thePlatformsAgentJoinedAndServesACertificateOfTheAgentIssuer() throws Exception {
        try (SSLSocket socket = (SSLSocket) platform.tls(InternalCallers.GATEWAY).sslContext().getSocketFactory()
                .createSocket("127.0.0.1", platform.agentPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            var served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertEquals("vm-agent/" + platform.hostId(), InternalCallers.commonName(served).orElseThrow());
            assertTrue(served.getIssuerX500Principal().getName().contains("CN=" + AgentJoin.ISSUER_NAME),
                    served.getIssuerX500Principal().getName());
        }
    }

    @Test
    void aJoinNeedsTheTokenAndForAKnownIdItsCredentialAndNamesOnlyAnAgent() throws Exception {
        String token = Files.readString(platform.hostJoinToken()).trim();
        HttpResponse<String> noToken = join("joined-" + UUID.randomUUID(), "not-the-token", "");
        assertEquals(401, noToken.statusCode(), noToken.body());
        assertEquals("unauthorized", json.readTree(noToken.body()).path("error").path("code").asText());

        HttpResponse<String> takeover = join(platform.hostId(), token, "");
        assertEquals(403, takeover.statusCode(), takeover.body());
        assertEquals("forbidden", json.readTree(takeover.body()).path("error").path("code").asText());

        HttpResponse<String> bad = join("../etc", token, "");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("host_id", json.readTree(bad.body()).path("error").path("field").asText());

        // positive control: a new id with the token joins; the request's own name is ignored
        String hostId = "joined-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> joined = join(hostId, token, "");
        assertEquals(200, joined.statusCode(), joined.body());
        JsonNode answer = json.readTree(joined.body());
        List<X509Certificate> chain = chain(answer.path(AgentJoin.CERTIFICATE).asText());
        assertEquals("vm-agent/" + hostId, InternalCallers.commonName(chain.get(0)).orElseThrow());
        assertEquals(AgentJoin.ISSUER_NAME, InternalCallers.commonName(chain.get(1)).orElseThrow());
    }

    /** The join port reads no body before authenticating: an oversized one is refused unread. */
    @Test
    void anOversizedJoinIsRefusedBeforeItsBodyIsRead() throws Exception {
        HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + platform.joinPort() + AgentJoin.PATH)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1 << 20))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, big.statusCode(), big.body());
        assertEquals("invalid_request", json.readTree(big.body()).path("error").path("code").asText());
    }

    /** Code in a sandbox cannot reach the join port on its host (the positive control: the host can). */
    @Test
    void codeInASandboxCannotReachTheJoinPort() throws Exception {
        String probe = "timeout 5 bash -c 'echo > /dev/tcp/%s/" + platform.joinPort() + "' 2>/dev/null && echo open"
                + " || echo closed";
        assertEquals("open\n", shell.run(probe.formatted("127.0.0.1")), "positive control: from the host");
        var sessions = new Sessions(new Api(platform.apiUrl()), SharedPlatform.credentials().get("CHASER_API_KEY"));
        String id = sessions.ephemeralSandbox().get("id").asText();
        try {
            // the host's end of the sandbox's link (its default route), and the sandbox's own loopback
            String output = sessions.exec(id, "bash -c 'h=$(awk \"\\$2==\\\"00000000\\\"{print \\$3; exit}\" "
                    + "/proc/net/route); gw=$((16#${h:6:2})).$((16#${h:4:2})).$((16#${h:2:2})).$((16#${h:0:2})); "
                    + "for a in $gw 127.0.0.1; do timeout 5 bash -c \"echo > /dev/tcp/$a/" + platform.joinPort()
                    + "\" 2>/dev/null && echo \"$a open\" || echo \"$a closed\"; done'").body().get("output").asText();
            assertEquals(2, output.lines().filter(l -> l.endsWith(" closed")).count(), output);
            assertFalse(output.contains("open"), output);
        } finally {
            sessions.terminate(id, true);
        }
    }

    @Test
    void theAgentIssuersKeyMintsNoServiceAndNoKafkaIdentity() throws Exception {
        Path tls = platform.home.resolve("tls");
        // what a compromised session-service could sign: api-gateway, and Kafka's super user
        for (String name : List.of("api-gateway", "kafka")) {
            shell.run("cd " + dir + " && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                    + "-subj '/O=Chaser/CN=" + name + "' -keyout " + name + ".key -out " + name + ".csr 2>/dev/null"
                    + " && printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth,clientAuth\\n' > ext"
                    + " && openssl x509 -req -in " + name + ".csr -CA " + tls.resolve("agent-issuer.crt") + " -CAkey "
                    + tls.resolve("agent-issuer.key") + " -CAcreateserial -days 1 -extfile ext -out " + name
                    + ".leaf 2>/dev/null && cat " + name + ".leaf " + tls.resolve("agent-issuer.crt") + " > " + name
                    + ".crt && cat " + name + ".key " + name + ".crt > " + name + ".pem");
        }
        String url = "'https://127.0.0.1:" + platform.sessionPort() + "/v1/sessions'";
        String probe = "curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert " + tls.resolve("ca.crt") + " ";
        // positive control: the real gateway certificate reaches the route's own check (401: no token)
        assertEquals("401", shell.run(probe + "--cert " + platform.tls(InternalCallers.GATEWAY).cert() + " --key "
                + platform.tls(InternalCallers.GATEWAY).key() + " " + url + " || true").strip());
        String minted = shell.run(probe + "--cert " + dir.resolve("api-gateway.crt") + " --key "
                + dir.resolve("api-gateway.key") + " " + url + " || true").strip();
        assertTrue(minted.equals("000") || minted.equals("403"), "a minted api-gateway certificate got " + minted);

        Properties admin = platform.kafka(LocalPlatform.KAFKA_ADMIN);
        assertTrue(answered(admin) && canCreateTopics(admin),
                "positive control: the admin certificate may create topics");
        Properties forged = platform.kafka(LocalPlatform.KAFKA_ADMIN);
        forged.put("ssl.keystore.location", dir.resolve("kafka.pem").toString());
        assertFalse(answered(forged) && canCreateTopics(forged), "a minted kafka certificate is the super user");
    }

    private static boolean answered(Properties p) {
        p.put("request.timeout.ms", "5000");
        p.put("default.api.timeout.ms", "8000");
        try (Admin admin = Admin.create(p)) {
            return !admin.describeCluster().nodes().get().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** Only a super user may create a topic (no ACL grants it to anyone). */
    private static boolean canCreateTopics(Properties p) {
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("agent-join-it-" + UUID.randomUUID(),
                    1, (short) 1))).all().get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
