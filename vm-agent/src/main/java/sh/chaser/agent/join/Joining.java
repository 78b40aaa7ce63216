package sh.chaser.agent.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import sh.chaser.contracts.AgentJoin;

/**
 * Joining the installation: a new key, a certificate request, and {@code POST} {@link AgentJoin#PATH}
 * with the join token (and this host's credential, once it has one); the answer's certificate and
 * the key are written where the agent's TLS configuration reads them ({@code CHASER_TLS_CERT},
 * {@code CHASER_TLS_KEY}). Skipped while the certificate there is valid for more than
 * {@link #RENEW_BEFORE}. session-service may still be starting: tried again until {@link #DEADLINE}.
 */
public record Joining(URI url, String hostId, Path tokenFile, Path credentialFile, Path cert, Path key, Path ca,
        Optional<String> address) {

    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    static final Duration DEADLINE = Duration.ofMinutes(3);

    /** Empty unless {@code CHASER_JOIN_URL} is set; then every other setting it needs must be. */
    public static Optional<Joining> fromEnvironment(Map<String, String> env) {
        String url = env.getOrDefault("CHASER_JOIN_URL", "");
        if (url.isBlank()) {
            return Optional.empty();
        }
        for (String name : new String[]{ "CHASER_HOST_ID", "CHASER_HOST_JOIN_TOKEN_FILE", "CHASER_TLS_CERT",
                "CHASER_TLS_KEY", "CHASER_TLS_CA" }) {
            if (env.getOrDefault(name, "").isBlank()) {
                throw new JoinRefused("CHASER_JOIN_URL is set, so " + name + " must be too");
            }
        }
        String hostId = env.get("CHASER_HOST_ID");
        if (!hostId.matches(AgentJoin.HOST_ID_PATTERN)) {
            throw new JoinRefused("CHASER_HOST_ID must be 1-63 letters, digits, '.', '_' or '-': " + hostId);
        }
        Path data = Path.of(env.getOrDefault("CHASER_AGENT_DATA_DIR", ".chaser/agent"));
        return Optional.of(new Joining(URI.create(url.replaceAll("/+$", "") + AgentJoin.PATH), hostId,
                Path.of(env.get("CHASER_HOST_JOIN_TOKEN_FILE")), data.resolve("host-credential"),
                Path.of(env.get("CHASER_TLS_CERT")), Path.of(env.get("CHASER_TLS_KEY")),
                Path.of(env.get("CHASER_TLS_CA")),
                Optional.ofNullable(env.get("CHASER_JOIN_ADDRESS")).filter(a -> !a.isBlank())));
    }

    public void ensureCertificate() {
        Optional<Instant> expires = expiry();
        if (expires.isPresent() && expires.get().isAfter(Instant.now().plus(RENEW_BEFORE))) {
            return;
        }
        System.out.println("vm-agent: joining as host " + hostId + " at " + url
                + (expires.isPresent() ? " (its certificate expires " + expires.get() + ")" : ""));
        Instant deadline = Instant.now().plus(DEADLINE);
        while (true) {
            try {
                join();
                System.out.println("vm-agent: joined; certificate vm-agent/" + hostId + " in " + cert);
                return;
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new JoinRefused("could not reach " + url + " within " + DEADLINE.toMinutes() + " minutes: "
                            + e.getMessage());
                }
                sleep();
            }
        }
    }

    private void join() throws IOException {
        CertificateRequest request = CertificateRequest.generate(hostId);
        Map<String, String> body = new HashMap<>();
        body.put(AgentJoin.HOST_ID, hostId);
        body.put(AgentJoin.CSR, request.csrPem());
        body.put(AgentJoin.JOIN_TOKEN, read(tokenFile));
        body.put(AgentJoin.HOST_CREDENTIAL, Files.isReadable(credentialFile) ? read(credentialFile) : "");
        address.ifPresent(a -> body.put(AgentJoin.ADDRESS, a));
        ObjectMapper json = new ObjectMapper();
        HttpClient client = HttpClient.newBuilder().sslContext(CaTrust.sslContext(ca))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(15))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode answer = json.readTree(response.body());
        if (response.statusCode() != 200) {
            if (response.statusCode() >= 500) {
                throw new IOException("session-service answered " + response.statusCode());
            }
            throw new JoinRefused("session-service refused the join (" + response.statusCode() + " "
                    + answer.path("error").path("code").asText() + "): "
                    + answer.path("error").path("message").asText());
        }
        write(key, request.keyPem());
        write(cert, answer.path(AgentJoin.CERTIFICATE).asText());
    }

    private Optional<Instant> expiry() {
        if (!Files.isReadable(cert) || !Files.isReadable(key)) {
            return Optional.empty();
        }
        try (var in = Files.newInputStream(cert)) {
            var leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return Optional.of(leaf.getNotAfter().toInstant());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }

    /** Owner-only, replaced in one step. */
    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.deleteIfExists(next);
        Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoinRefused("interrupted while joining");
        }
    }
}
