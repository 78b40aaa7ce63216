package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

/** A Node program of the tests' resources, copied into {@code target/<name>} with its npm dependencies. */
final class NodePackage {

    private NodePackage() {}

    /** Copies {@code files} of the resource folder {@code name} and runs npm install there; the folder. */
    static Path install(String name, String... files) throws Exception {
        Path dir = Path.of("target", name).toAbsolutePath();
        Files.createDirectories(dir);
        for (String file : files) {
            try (var in = NodePackage.class.getResourceAsStream("/" + name + "/" + file)) {
                Files.write(dir.resolve(file), in.readAllBytes());
            }
        }
        var npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes());
        assertEquals(0, npm.waitFor(), "npm install in " + dir + ": " + output);
        return dir;
    }
}
