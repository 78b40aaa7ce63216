package sh.chaser.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;

/**
 * The first administrator's credentials: account-service writes them once to the bootstrap file;
 * the launcher moves them, with the API URL, to {@code .chaser/local.env} (owner-only).
 */
final class Credentials {

    static final List<String> KEYS = List.of("CHASER_API_URL", "CHASER_API_KEY", "CHASER_ADMIN_EMAIL",
            "CHASER_ADMIN_PASSWORD");

    private Credentials() {}

    /** @return the lines of local.env, or an empty list when no credentials were ever written */
    static List<String> collect(Settings settings) throws IOException {
        Path bootstrap = settings.bootstrapFile();
        Path localEnv = settings.localEnv();
        if (Files.exists(bootstrap)) {
            Properties p = load(bootstrap);
            p.setProperty("CHASER_API_URL", settings.apiUrl());
            List<String> lines = KEYS.stream().map(k -> k + "=" + p.getProperty(k, "")).toList();
            Files.deleteIfExists(localEnv);
            Files.createFile(localEnv,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(localEnv, lines, StandardOpenOption.TRUNCATE_EXISTING);
            Files.delete(bootstrap);
        }
        if (!Files.exists(localEnv)) {
            return List.of();
        }
        Properties p = load(localEnv);
        return KEYS.stream().map(k -> k + "=" + p.getProperty(k, "")).toList();
    }

    /** The value of {@code key} among lines from {@link #collect}, when set and not empty. */
    static java.util.Optional<String> value(List<String> lines, String key) {
        return lines.stream().filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1))
                .filter(v -> !v.isEmpty()).findFirst();
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return p;
    }
}
