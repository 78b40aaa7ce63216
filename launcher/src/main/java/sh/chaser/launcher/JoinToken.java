package sh.chaser.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * {@code ./chaser hosts join-token}: the operator's one command to let another vm-agent join. The
 * token admits new host ids only; an id already registered also needs that host's own credential.
 */
final class JoinToken {

    private final Settings settings;

    JoinToken(Settings settings) {
        this.settings = settings;
    }

    int print(List<String> options) throws IOException {
        if (!options.equals(List.of("join-token"))) {
            System.err.println("usage: ./chaser hosts join-token");
            return 2;
        }
        KeyPairs keys = new KeyPairs(settings);
        keys.ensure();
        InternalCertificates certificates = new InternalCertificates(settings);
        int joinPort = settings.joinPort();
        System.out.println(Files.readString(keys.hostJoinToken()).trim());
        System.err.println("""

                A vm-agent on another machine joins with it (keep it secret: it admits new hosts):
                  write the token to a file readable by the agent only, copy %s there too, and start
                  the agent with CHASER_HOST_ID=<its id> CHASER_HOST_JOIN_TOKEN_FILE=<token file>
                  CHASER_TLS_CA=<ca file> CHASER_TLS_CERT=<where to keep its certificate>
                  CHASER_TLS_KEY=<where to keep its key> CHASER_JOIN_URL=https://<this host>:%d
                  (session-service's join port) and CHASER_JOIN_ADDRESS=<the IP it is reached at>.
                It gets its certificate (vm-agent/<its id>) from session-service, then registers."""
                .formatted(certificates.ca(), joinPort));
        return 0;
    }
}
