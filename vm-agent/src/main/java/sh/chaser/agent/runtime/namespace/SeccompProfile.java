package sh.chaser.agent.runtime.namespace;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Docker's default seccomp profile (resource {@code seccomp/docker-default.json}) in the OCI form
 * runc takes, for x86-64 and a process without capabilities: rules that need a capability are left
 * out, rules that apply without one are kept, and so are rules for this architecture or kernel.
 * Made once; every sandbox's config carries the same profile.
 */
final class SeccompProfile {

    private static final String ARCH = "amd64";
    private static final JsonObject OCI = convert(load());

    private SeccompProfile() {}

    static JsonObject oci() {
        return OCI.copy();
    }

    private static JsonObject load() {
        try (InputStream in = SeccompProfile.class.getResourceAsStream("/seccomp/docker-default.json")) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonObject convert(JsonObject docker) {
        JsonArray syscalls = new JsonArray();
        for (Object item : docker.getJsonArray("syscalls")) {
            JsonObject rule = (JsonObject) item;
            JsonObject includes = rule.getJsonObject("includes", new JsonObject());
            JsonObject excludes = rule.getJsonObject("excludes", new JsonObject());
            boolean needsCapability = !includes.getJsonArray("caps", new JsonArray()).isEmpty();
            boolean otherArch = !includes.getJsonArray("arches", new JsonArray()).isEmpty()
                    && !includes.getJsonArray("arches").contains(ARCH);
            boolean excludedArch = excludes.getJsonArray("arches", new JsonArray()).contains(ARCH);
            if (needsCapability || otherArch || excludedArch) {
                continue;
            }
            // minKernel (ptrace from 4.8): every kernel this runs on is newer
            JsonObject oci = new JsonObject().put("names", rule.getJsonArray("names")).put("action",
                    rule.getString("action"));
            if (rule.getJsonArray("args") != null && !rule.getJsonArray("args").isEmpty()) {
                oci.put("args", rule.getJsonArray("args"));
            }
            if (rule.getValue("errnoRet") != null) {
                oci.put("errnoRet", rule.getValue("errnoRet"));
            }
            syscalls.add(oci);
        }
        JsonArray architectures = new JsonArray();
        for (Object item : docker.getJsonArray("archMap")) {
            JsonObject map = (JsonObject) item;
            if ("SCMP_ARCH_X86_64".equals(map.getString("architecture"))) {
                architectures.add(map.getString("architecture"));
                map.getJsonArray("subArchitectures", new JsonArray()).forEach(architectures::add);
            }
        }
        return new JsonObject().put("defaultAction", docker.getString("defaultAction")).put("defaultErrnoRet", 1)
                .put("architectures", architectures).put("syscalls", syscalls);
    }
}
