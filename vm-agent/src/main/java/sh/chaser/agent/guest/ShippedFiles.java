package sh.chaser.agent.guest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Files the vm-agent ships beside its code (the guest agent's binary, the script that builds the
 * microVMs' kernel): found in the module the running code came from (its {@code target}'s parent),
 * from the working directory (the module's or the repository's), or in the container image.
 */
public final class ShippedFiles {

    private ShippedFiles() {}

    /** {@code inModule} relative to the vm-agent module,
            {@code inImage} absolute in the image; the first executable one. */
    public static Optional<Path> find(String inModule, String inImage) {
        return candidates(inModule, inImage).stream().filter(Files::isExecutable).map(Path::toAbsolutePath).findFirst();
    }

    static List<Path> candidates(String inModule, String inImage) {
        List<Path> paths = new ArrayList<>(List.of(Path.of(inModule), Path.of("vm-agent").resolve(inModule)));
        moduleOfCode().ifPresent(module -> paths.add(module.resolve(inModule)));
        paths.add(Path.of(inImage));
        return paths;
    }

    /** target/classes, target/quarkus-app/quarkus-run.jar, target/quarkus-app/app/x.jar: the parent of target. */
    private static Optional<Path> moduleOfCode() {
        Path code = Path.of(ShippedFiles.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toAbsolutePath();
        for (Path p = code; p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals("target")) {
                return Optional.ofNullable(p.getParent());
            }
        }
        return Optional.empty();
    }
}
