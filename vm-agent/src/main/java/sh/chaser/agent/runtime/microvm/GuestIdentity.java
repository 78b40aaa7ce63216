package sh.chaser.agent.runtime.microvm;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.guest.GuestToken;

/**
 * A fork's new identity, told to its guest agent over the VM's control port: its address and
 * gateway (the one peer its agent answers), its token, hostname and clock, and fresh bytes for its
 * random number generator (a fork has its parent's pool, so without them forks would draw the same
 * numbers). vm-agent/guest/control.go applies it.
 */
final class GuestIdentity {

    private static final SecureRandom RANDOM = new SecureRandom();

    private GuestIdentity() {}

    static void tell(Vmm vmm, VmParts parts, String address, String gateway, String hostname) {
        byte[] seed = new byte[64];
        RANDOM.nextBytes(seed);
        String request = new JsonObject().put("op", "identity").put("ip", address + "/30").put("gateway", gateway)
                .put("hostname", hostname).put("token", GuestToken.read(parts.dir().resolve("guest.token")))
                .put("now_unix_ms", System.currentTimeMillis())
                .put("seed", Base64.getEncoder().encodeToString(seed)).encode();
        String answer = vmm.askGuest(parts.dir(), request, vmm.bootTimeout());
        JsonObject reply;
        try {
            reply = new JsonObject(answer);
        } catch (RuntimeException e) {
            throw AgentError.BOOT_FAILED.exception("the fork's guest answered its identity with no JSON");
        }
        if (!reply.getBoolean("ok", false)) {
            throw AgentError.BOOT_FAILED.exception("the fork's guest refused its identity: "
                    + reply.getString("error", "no reason"));
        }
    }
}
