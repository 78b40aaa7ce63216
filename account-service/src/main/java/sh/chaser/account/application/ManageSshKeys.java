package sh.chaser.account.application;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.SshPublicKeys;
import sh.chaser.account.persistence.PgSshKeyRepository;
import sh.chaser.account.persistence.SshKeyEntity;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.security.InternalCaller;

/** A user's SSH public keys in the account the request acts in (the SSH gateway's credentials). */
@ApplicationScoped
public class ManageSshKeys {

    private static final int NAME_MAX = 100;

    @Inject
    PgSshKeyRepository keys;
    @Inject
    Audit audit;

    @WithTransaction
    public Uni<SshKeyEntity> add(InternalCaller caller, String publicKey, String name) {
        requireUser(caller);
        if (name != null && (name.isBlank() || name.length() > NAME_MAX)) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "name must be 1 to " + NAME_MAX + " characters",
                    "name");
        }
        SshPublicKeys.Parsed parsed = SshPublicKeys.parse(publicKey);
        return keys.ofUser(caller.accountId(), caller.principalId(), parsed.fingerprint()).flatMap(existing -> {
            if (existing != null) {
                throw new ServiceException(ErrorCode.SSH_KEY_TAKEN, "this key (" + parsed.fingerprint()
                        + ") is yours in this account already, as " + existing.id);
            }
            SshKeyEntity key = new SshKeyEntity();
            key.id = UUID.randomUUID();
            key.accountId = caller.accountId();
            key.userId = caller.principalId();
            key.name = name == null ? comment(publicKey) : name;
            key.keyType = parsed.type();
            key.fingerprint = parsed.fingerprint();
            key.publicKey = parsed.publicKey();
            key.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            return keys.persist(key).call(k -> audit.success(caller, "ssh_key.create", "ssh_key", k.id.toString(),
                    "added SSH key " + k.fingerprint, Map.of("fingerprint", k.fingerprint, "key_type", k.keyType)));
        });
    }

    @WithSession
    public Uni<List<SshKeyEntity>> list(InternalCaller caller) {
        requireUser(caller);
        return keys.ofUser(caller.accountId(), caller.principalId());
    }

    @WithTransaction
    public Uni<Void> delete(InternalCaller caller, UUID keyId) {
        requireUser(caller);
        return keys.findById(keyId).flatMap(key -> {
            if (key == null || !key.accountId.equals(caller.accountId()) || !key.userId.equals(caller.principalId())) {
                throw new ServiceException(ErrorCode.SSH_KEY_NOT_FOUND, "no SSH key " + keyId + " of yours here");
            }
            return keys.delete(key).call(() -> audit.success(caller, "ssh_key.delete", "ssh_key", keyId.toString(),
                    "deleted SSH key " + key.fingerprint, Map.of("fingerprint", key.fingerprint)));
        });
    }

    /** The key line's comment ({@code you@host}), a name when none is given. */
    private static String comment(String line) {
        String[] parts = line.trim().split("\\s+", 3);
        return parts.length == 3 && parts[2].length() <= NAME_MAX ? parts[2] : null;
    }

    private static void requireUser(InternalCaller caller) {
        CallerRules.requireUser(caller, "SSH keys belong to users; a service account uses API keys");
    }
}
