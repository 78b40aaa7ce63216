package sh.chaser.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import sh.chaser.contracts.DataPlaneContract;
import sh.chaser.contracts.InternalToken;

/**
 * The token the gateway puts on every data-plane request it relays, made here from the
 * installation's internal key so the benchmark can time the vm-agent's data plane without the
 * gateway in front (the agent refuses any request without one).
 */
final class SessionTokenMinter {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private final PrivateKey key;

    SessionTokenMinter(Path home) throws IOException, GeneralSecurityException {
        String pem = Files.readString(home.resolve("keys/internal-jwt-private.pem"));
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        this.key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /** A token for {@code operation} (e.g. {@code upload}) on {@code sessionId}, valid 60 s. */
    String mint(String sessionId, String operation) throws GeneralSecurityException {
        long exp = Instant.now().getEpochSecond() + DataPlaneContract.SESSION_TOKEN_SECONDS;
        String header = URL.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = URL.encodeToString(("{\"iss\":\"" + InternalToken.ISSUER + "\",\"aud\":\""
                + DataPlaneContract.SESSION_TOKEN_AUDIENCE + "\",\"sub\":\"" + sessionId + "\",\""
                + DataPlaneContract.OPERATION_CLAIM + "\":\"" + operation + "\",\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + URL.encodeToString(rsa.sign());
    }
}
