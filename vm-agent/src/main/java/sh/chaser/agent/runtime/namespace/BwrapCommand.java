package sh.chaser.agent.runtime.namespace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.image.ImageRoot;

/**
 * The bubblewrap command line of a sandbox: new user (uid 1000 inside, no capabilities on the
 * host), PID, IPC, UTS and cgroup namespaces, a mount namespace whose root is the image read-only
 * with a private /proc, /dev and /tmp and the workspace read-write at /workspace. The network
 * namespace is entered before bwrap runs (see {@link NamespaceRuntime}). bwrap stays PID 1 and
 * reaps orphans; it reports the init's host pid on fd 3.
 */
public final class BwrapCommand {

    public static final int SANDBOX_UID = 1000;
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private BwrapCommand() {
    }

    public static String hostname(String sessionId) {
        return "sbx-" + sessionId.substring(0, 8);
    }

    public static List<String> of(SandboxSpec spec, ImageRoot image, Path workspace) {
        List<String> args = new ArrayList<>(List.of("bwrap",
                "--unshare-user", "--uid", Integer.toString(SANDBOX_UID), "--gid", Integer.toString(SANDBOX_UID),
                "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--hostname", hostname(spec.sessionId()),
                "--ro-bind", image.rootfs().toString(), "/"));
        for (ImageRoot.Bind bind : image.readOnlyBinds()) {
            args.addAll(List.of("--ro-bind", bind.source().toString(), bind.target()));
        }
        args.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                "--bind", workspace.toString(), "/workspace", "--chdir", "/workspace",
                "--new-session", "--info-fd", "3", "--clearenv"));
        environment(spec).forEach((name, value) -> args.addAll(List.of("--setenv", name, value)));
        args.add("--");
        if ("browser".equals(spec.sessionType())) {
            args.addAll(BrowserInit.command());
        } else {
            // the init: something that sleeps forever without holding memory; commands join it later
            args.addAll(List.of("/usr/bin/sleep", "infinity"));
        }
        return args;
    }

    /** The init's environment: the platform's variables, then the session's (bwrap sets them in the sandbox). */
    static Map<String, String> environment(SandboxSpec spec) {
        Map<String, String> env = platformEnvironment(spec);
        env.putAll(spec.env());
        return env;
    }

    /** Only the platform's own values: what a host process on the way into the sandbox may carry. */
    static Map<String, String> platformEnvironment(SandboxSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", "/workspace");
        env.put("USER", "user");
        env.put("LANG", "C.UTF-8");
        env.put("HOSTNAME", hostname(spec.sessionId()));
        env.put("CHASER_SESSION_ID", spec.sessionId());
        return env;
    }
}
