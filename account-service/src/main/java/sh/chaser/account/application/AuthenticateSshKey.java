package sh.chaser.account.application;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import sh.chaser.account.persistence.PgAccountRepository;
import sh.chaser.account.persistence.PgMembershipRepository;
import sh.chaser.account.persistence.PgSshKeyRepository;
import sh.chaser.account.persistence.SshKeyEntity;
import sh.chaser.contracts.Scopes;

/**
 * An SSH public key → the principals it acts as: its user in every account the key sits on where
 * the user is still a member, each limited to what a shell needs (never keys, members or billing).
 */
@ApplicationScoped
public class AuthenticateSshKey {

    public static final List<String> SSH_SCOPES = List.of(Scopes.SESSIONS_READ, Scopes.SESSIONS_WRITE,
            Scopes.WORKSPACES_READ, Scopes.EXEC_WRITE, Scopes.FILES_READ, Scopes.FILES_WRITE);

    @Inject
    PgSshKeyRepository keys;
    @Inject
    PgMembershipRepository memberships;
    @Inject
    PgAccountRepository accounts;

    @WithSession
    public Uni<List<Principal>> principals(String fingerprint, String publicKey) {
        return keys.withFingerprint(fingerprint).flatMap(found -> {
            List<Principal> principals = new ArrayList<>();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (SshKeyEntity key : found) {
                if (!key.publicKey.equals(publicKey)) {
                    continue;
                }
                chain = chain.chain(() -> memberships.find(key.accountId, key.userId)).chain(member -> member == null
                        ? Uni.createFrom().voidItem()
                        : accounts.findById(key.accountId).invoke(account -> principals.add(new Principal(
                                Principal.Type.USER, key.userId, account, member.role, SSH_SCOPES, null)))
                                .replaceWithVoid());
            }
            return chain.map(v -> principals);
        });
    }
}
