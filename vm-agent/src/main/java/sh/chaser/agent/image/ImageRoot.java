package sh.chaser.agent.image;

import java.nio.file.Path;
import java.util.List;

/**
 * A root filesystem to run a sandbox from: {@code rootfs} becomes {@code /}, read-only, and each
 * of {@code readOnlyBinds} (host path to sandbox path) is mounted read-only on top.
 */
public record ImageRoot(String name, Path rootfs, List<Bind> readOnlyBinds) {

    public record Bind(Path source, String target) {}
}
