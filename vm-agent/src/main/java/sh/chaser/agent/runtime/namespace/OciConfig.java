package sh.chaser.agent.runtime.namespace;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.domain.SessionEnvironment;
import sh.chaser.agent.host.SandboxIds;
import sh.chaser.agent.image.ImageRoot;

/**
 * A sandbox's OCI runtime configuration (runc's {@code config.json}): its slot's user namespace,
 * whose ids map to the sandbox range on the host ({@link SandboxIds}), never to host root, and the
 * network namespace it owns ({@link SlotNamespaces}); PID, IPC, UTS, mount and cgroup namespaces of its own; the image read-only as root
 * with a private /proc (runc's masked and read-only paths), /dev, /tmp and the workspace at
 * /workspace (nosuid, nodev), and no /sys (sysfs cannot be mounted for a network namespace the
 * sandbox's user namespace does not own, and nothing needs the host's); no capabilities in any set, no new privileges, and Docker's default
 * seccomp profile. The init is tini (host's {@code tini-static}), which reaps orphans as PID 1, and
 * its child the guest agent (vm-agent/guest), the one way in.
 */
final class OciConfig {

    static final String INIT = "/dev/chaser-init";
    static final String GUEST = "/dev/chaser-guest";
    static final String GUEST_TOKEN = "/dev/chaser-guest.token";
    static final Path TINI = Path.of("/usr/bin/tini-static");
    private static final List<String> MASKED = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi");
    private static final List<String> READ_ONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private OciConfig() {}

    /**
     * @param init   what tini runs (the guest agent with its arguments)
     * @param guest  the guest agent's binary and token on the host, mounted read-only at
     *               {@link #GUEST} and {@link #GUEST_TOKEN}
     */
    static JsonObject of(SandboxSpec spec, ImageRoot image, Path workspace, Path userns, Path netns, String cgroup,
            List<String> init, GuestFiles guest) {
        JsonArray args = new JsonArray().add(INIT).add("-s").add("--");
        init.forEach(args::add);
        JsonArray env = new JsonArray();
        SessionEnvironment.of(spec).forEach((name, value) -> env.add(name + "=" + value));
        JsonObject none = new JsonObject().put("bounding", new JsonArray()).put("effective", new JsonArray())
                .put("inheritable", new JsonArray()).put("permitted", new JsonArray()).put("ambient", new JsonArray());
        JsonObject process = new JsonObject().put("terminal", false)
                .put("user", new JsonObject().put("uid", SandboxIds.USER).put("gid", SandboxIds.USER))
                .put("args", args).put("env", env).put("cwd", "/workspace").put("capabilities", none)
                .put("noNewPrivileges", true);
        JsonArray mapping = new JsonArray()
                .add(new JsonObject().put("containerID", 0).put("hostID", SandboxIds.HOST_BASE)
                        .put("size", SandboxIds.RANGE));
        JsonArray namespaces = new JsonArray();
        for (String type : List.of("pid", "ipc", "uts", "mount", "cgroup")) {
            namespaces.add(new JsonObject().put("type", type));
        }
        namespaces.add(new JsonObject().put("type", "user").put("path", userns.toString()));
        namespaces.add(new JsonObject().put("type", "network").put("path", netns.toString()));
        JsonObject linux = new JsonObject().put("uidMappings", mapping).put("gidMappings", mapping.copy())
                .put("namespaces", namespaces).put("cgroupsPath", "/" + cgroup)
                .put("maskedPaths", new JsonArray(MASKED)).put("readonlyPaths", new JsonArray(READ_ONLY))
                .put("seccomp", SeccompProfile.oci());
        return new JsonObject().put("ociVersion", "1.0.2").put("process", process)
                .put("root",
                        new JsonObject().put("path", image.rootfs().toAbsolutePath().toString()).put("readonly", true))
                .put("hostname", SessionEnvironment.hostname(spec.sessionId()))
                .put("mounts", mounts(image, workspace, guest))
                .put("linux", linux);
    }

    /** The guest agent's files on the host. */
    record GuestFiles(Path binary, Path token) {}

    private static JsonArray mounts(ImageRoot image, Path workspace, GuestFiles guest) {
        JsonArray mounts = new JsonArray()
                .add(mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"))
                .add(mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"))
                .add(mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                        "mode=0620"))
                .add(mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"))
                .add(mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"))
                .add(mount("/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777"))
                .add(mount(INIT, "bind", TINI.toString(), "bind", "ro", "nosuid", "nodev"))
                .add(mount(GUEST, "bind", guest.binary().toAbsolutePath().toString(), "bind", "ro", "nosuid", "nodev"))
                .add(mount(GUEST_TOKEN, "bind", guest.token().toAbsolutePath().toString(), "bind", "ro", "nosuid",
                        "nodev", "noexec"));
        for (ImageRoot.Bind bind : image.readOnlyBinds()) {
            mounts.add(mount(bind.target(), "bind", bind.source().toAbsolutePath().toString(), "rbind", "ro", "nosuid",
                    "nodev"));
        }
        return mounts.add(
                mount("/workspace", "bind", workspace.toAbsolutePath().toString(), "rbind", "rw", "nosuid", "nodev"));
    }

    private static JsonObject mount(String destination, String type, String source, String... options) {
        return new JsonObject().put("destination", destination).put("type", type).put("source", source)
                .put("options", new JsonArray(List.of(options)));
    }

}
