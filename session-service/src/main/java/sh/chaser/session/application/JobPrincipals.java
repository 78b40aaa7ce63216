package sh.chaser.session.application;

import java.util.List;
import java.util.UUID;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.common.security.Actor;

/** account-service's word on whether a job's principal still stands (implemented by the gRPC adapter). */
public interface JobPrincipals {

    /** What the principal may do now. */
    record Standing(List<String> scopes, boolean fullAccess, AccountLimits limits) {}

    /** @throws sh.chaser.session.domain.JobFailure {@code unauthorized} when the key is revoked or the user left */
    Standing check(Actor actor, UUID keyId);
}
