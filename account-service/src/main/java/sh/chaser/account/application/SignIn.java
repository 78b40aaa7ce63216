package sh.chaser.account.application;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import sh.chaser.account.domain.Emails;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.PasswordHash;
import sh.chaser.account.persistence.PgUserRepository;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.security.InternalCaller;

/** Local sign-in and password changes. Hashing runs on a worker thread, never on the event loop. */
@ApplicationScoped
public class SignIn {

    static final int PASSWORD_MIN = 12;
    /** Compared against when the email is unknown, so both answers take as long. */
    private static final String DECOY = PasswordHash.of("decoy-password-for-timing");

    @Inject
    PgUserRepository users;
    @Inject
    AccessTokens tokens;
    @Inject
    Vertx vertx;
    @Inject
    Audit audit;

    @WithSession
    public Uni<AccessTokens.Issued> login(String rawEmail, String password) {
        String email = Emails.normalize(rawEmail, "email");
        return users.findByEmail(email)
                .flatMap(user -> vertx.executeBlocking(Uni.createFrom()
                        .item(() -> PasswordHash.matches(password,
                                user == null || user.passwordHash == null ? DECOY : user.passwordHash)
                                && user != null && user.passwordHash != null))
                        .map(ok -> {
                            if (!ok) {
                                throw new ServiceException(ErrorCode.UNAUTHORIZED, "wrong email or password");
                            }
                            return tokens.issue(user.id);
                        }));
    }

    /** Changes the caller's own password; the current one is required when one is set. */
    @WithTransaction
    public Uni<Void> changePassword(InternalCaller caller, String current, String next) {
        CallerRules.requireUser(caller, "service accounts have no password");
        if (next == null || next.length() < PASSWORD_MIN || next.length() > 1024) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST,
                    "new_password must be at least " + PASSWORD_MIN + " characters", "new_password");
        }
        return users.findById(caller.principalId()).flatMap(user -> vertx.executeBlocking(Uni.createFrom().item(() -> {
            if (user.passwordHash != null && !PasswordHash.matches(current, user.passwordHash)) {
                throw new ServiceException(ErrorCode.FORBIDDEN, "current_password is wrong");
            }
            return PasswordHash.of(next);
        })).map(hash -> {
            user.passwordHash = hash;
            return (Void) null;
        })).call(v -> audit.success(caller, "user.password.change", "user", caller.principalId().toString(),
                "changed own password", null));
    }
}
