package sh.chaser.gateway.ssh;

import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.jboss.logging.Logger;
import sh.chaser.gateway.application.InternalTokenMinter;
import sh.chaser.proto.account.v1.AccountAuthGrpc;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.AuthenticateSshKeyRequest;

/**
 * Lets a connection in with a public key some user added at /v1/ssh-keys (MINA checks the client
 * holds its private half); the principals it acts as, one per account the key sits on, are kept on
 * the SSH session. Asked of account-service on every connection, so a deleted key is refused on the
 * next one.
 */
@ApplicationScoped
public class SshKeyAuthenticator implements PublickeyAuthenticator {

    /** The principals of the key the session authenticated with. */
    static final AttributeKey<List<AuthenticateResponse>> PRINCIPALS = new AttributeKey<>();
    private static final AttributeKey<String> KEY_FINGERPRINT = new AttributeKey<>();
    private static final Logger LOG = Logger.getLogger(SshKeyAuthenticator.class);

    @GrpcClient("account-service")
    AccountAuthGrpc.AccountAuthBlockingStub accounts;
    @Inject
    InternalTokenMinter minter;

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        String fingerprint = KeyUtils.getFingerPrint(KeyUtils.getDefaultFingerPrintFactory(), key);
        // MINA asks twice for one key (the client's offer, then its signature): one lookup per connection
        if (fingerprint.equals(session.getAttribute(KEY_FINGERPRINT)) && session.getAttribute(PRINCIPALS) != null) {
            return true;
        }
        try {
            var answer = minter.asGateway(accounts, 5_000).authenticateSshKey(AuthenticateSshKeyRequest.newBuilder()
                    .setFingerprint(fingerprint).setPublicKey(PublicKeyEntry.toString(key)).build());
            if (answer.getPrincipalsCount() == 0) {
                return false;
            }
            session.setAttribute(PRINCIPALS, answer.getPrincipalsList());
            session.setAttribute(KEY_FINGERPRINT, fingerprint);
            return true;
        } catch (StatusRuntimeException e) {
            LOG.warnf("ssh %s: account-service did not answer (%s)", session.getClientAddress(), e.getStatus());
            return false;
        }
    }
}
