package sh.chaser.testhost;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tools tests run on the host and their Debian packages,
        from {@code host-tools.txt} (also read by ./chaser test). */
public final class HostTools {

    private static final Map<String, String> PACKAGES = load();

    private HostTools() {}

    /** Of {@code tools}, those not found on PATH (or in the sbin directories root's tools live in). */
    public static List<String> missing(List<String> tools) {
        return tools.stream().filter(tool -> !onPath(tool)).toList();
    }

    /** The Debian package of a tool the table lists; any other tool is named as its own package. */
    public static String debianPackage(String tool) {
        return PACKAGES.getOrDefault(tool, tool);
    }

    static boolean onPath(String tool) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> load() {
        var table = new LinkedHashMap<String, String>();
        try (var in = HostTools.class.getResourceAsStream("/host-tools.txt")) {
            if (in == null) {
                throw new IllegalStateException("host-tools.txt is missing from the test-host jar");
            }
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.split("\\s+")).forEach(row -> table.put(row[0], row[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(table);
    }
}
