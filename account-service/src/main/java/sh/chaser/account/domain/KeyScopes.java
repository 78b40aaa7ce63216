package sh.chaser.account.domain;

import java.util.LinkedHashSet;
import java.util.List;
import sh.chaser.common.api.ServiceException;
import sh.chaser.contracts.Scopes;

/** The rules for the scopes of a new key. */
public final class KeyScopes {

    private KeyScopes() {}

    /** Known scopes only, without repeats, in the order given; null means none (full access). */
    public static List<String> validate(List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        for (String scope : requested) {
            if (!Scopes.ALL.contains(scope)) {
                throw new ServiceException(ErrorCode.INVALID_REQUEST,
                        "unknown scope '" + scope + "'; known scopes: " + String.join(", ", Scopes.ALL), "scopes");
            }
        }
        return List.copyOf(new LinkedHashSet<>(requested));
    }

    /**
     * A caller cannot mint more than it holds: a scoped key may create keys with a subset of its
     * scopes, never a full-access key.
     */
    public static void checkNoEscalation(List<String> requested, boolean callerFullAccess, List<String> callerScopes) {
        if (callerFullAccess) {
            return;
        }
        if (requested.isEmpty()) {
            throw new ServiceException(ErrorCode.INSUFFICIENT_SCOPE,
                    "a scoped key cannot create a full-access key; name the scopes, within your own");
        }
        for (String scope : requested) {
            if (!callerScopes.contains(scope)) {
                throw new ServiceException(ErrorCode.INSUFFICIENT_SCOPE,
                        "a key cannot grant scope " + scope + " that the calling key lacks");
            }
        }
    }
}
