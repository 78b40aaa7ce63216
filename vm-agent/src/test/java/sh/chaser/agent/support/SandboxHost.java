package sh.chaser.agent.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import sh.chaser.testhost.NeedsRoot;
import sh.chaser.testhost.NeedsTools;

/**
 * A test that boots real sandboxes with the namespace runtime (and the git server of
 * {@link AgentTestProfile}): root and the runtime's host tools. Put it after {@code @QuarkusTest}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@NeedsRoot("sandboxes: namespaces, cgroups, a loop-mounted btrfs, iptables")
@NeedsTools({ "runc", "tini-static", "iptables-restore", "ip6tables-restore", "ip", "setpriv", "script", "mkfs.btrfs",
        "debootstrap", "git" })
public @interface SandboxHost {
}
