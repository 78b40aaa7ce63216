package sh.chaser.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.domain.SandboxPath.Entry;
import sh.chaser.agent.domain.SandboxPath.Kind;

/** Path resolution inside a sandbox, over a small file system described by a map. */
class SandboxPathTest {

    private static final Map<String, Entry> FILES = Map.of(
            "/workspace", dir(),
            "/workspace/a.txt", file(),
            "/workspace/sub", dir(),
            "/workspace/link-up", link("../etc/hosts"),
            "/workspace/abs", link("/etc/passwd"),
            "/workspace/to-proc", link("../../proc/self/root"),
            "/workspace/loop", link("loop"),
            "/workspace/dev", link("/dev/sda"),
            "/etc", dir(),
            "/etc/hosts", file());

    private static SandboxPath.Resolved resolve(String path) {
        return SandboxPath.resolve(path, p -> FILES.getOrDefault(p, Entry.MISSING));
    }

    @Test
    void relativePathsStartAtTheWorkspace() {
        assertThat(resolve("a.txt").path()).isEqualTo("/workspace/a.txt");
        assertThat(resolve("./sub/new.txt").path()).isEqualTo("/workspace/sub/new.txt");
        assertThat(resolve("a.txt").entry().kind()).isEqualTo(Kind.FILE);
        assertThat(resolve("sub/x/y").entry().kind()).isEqualTo(Kind.MISSING);
    }

    @Test
    void relativeLinksResolveInsideTheSandbox() {
        assertThat(resolve("link-up").path()).isEqualTo("/etc/hosts");
    }

    @Test
    void everyWayOutIsRefused() {
        for (String path : new String[] {"../etc/passwd", "sub/../../etc", "abs", "to-proc", "/proc/1/environ",
                "/sys/kernel", "/dev/null", "dev", "loop", "a\0b"}) {
            assertThatThrownBy(() -> resolve(path)).as(path).isInstanceOfSatisfying(AgentException.class,
                    e -> assertThat(e.error()).isEqualTo(AgentError.PATH_NOT_ALLOWED));
        }
    }

    @Test
    void anEmptyPathOrAFileUsedAsDirectoryIsInvalid() {
        assertThatThrownBy(() -> resolve(" ")).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.error()).isEqualTo(AgentError.INVALID_ARGUMENT));
        assertThatThrownBy(() -> resolve("a.txt/x")).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.error()).isEqualTo(AgentError.INVALID_ARGUMENT));
    }

    private static Entry dir() {
        return new Entry(Kind.DIRECTORY, null);
    }

    private static Entry file() {
        return new Entry(Kind.FILE, null);
    }

    private static Entry link(String target) {
        return new Entry(Kind.SYMLINK, target);
    }
}
