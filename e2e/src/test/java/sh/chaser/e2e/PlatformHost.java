package sh.chaser.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import sh.chaser.testhost.NeedsRoot;
import sh.chaser.testhost.NeedsTools;

/**
 * A test that drives the whole platform: its vm-agent boots real sandboxes (root and the runtime's
 * tools), the tests speak curl and jq, serve git on loopback, and drive Chromium with Playwright.
 * Tagged {@code e2e} (and {@code root}): {@code ./mvnw verify -DexcludedGroups=root,e2e} runs every
 * module test a developer without root can run, {@code -Dgroups=e2e} only these.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("e2e")
@NeedsRoot("the platform's vm-agent boots sandboxes: namespaces, cgroups, a loop-mounted btrfs, iptables")
@NeedsTools({ "runc", "tini-static", "iptables-restore", "ip6tables-restore", "ip", "setpriv", "script", "mkfs.btrfs",
        "debootstrap", "skopeo", "umoci", "git", "curl", "jq", "python3", "chromium", "node", "npm" })
@interface PlatformHost {
}
