package sh.chaser.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

/**
 * Where the API is and with which key: {@code CHASER_API_URL} / {@code CHASER_API_KEY} from the
 * environment, else the profile {@code chaser login} wrote ({@code $CHASER_CONFIG}, default
 * {@code ~/.config/chaser/profile}, readable by its owner only).
 */
record Profile(String apiUrl, String apiKey) {

    static Path file(Map<String, String> env) {
        String configured = env.get("CHASER_CONFIG");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".config", "chaser", "profile");
    }

    static Profile load(Map<String, String> env) throws IOException {
        Properties saved = new Properties();
        Path file = file(env);
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                saved.load(in);
            }
        }
        String url = env.getOrDefault("CHASER_API_URL", saved.getProperty("api_url"));
        String key = env.getOrDefault("CHASER_API_KEY", saved.getProperty("api_key"));
        return new Profile(url == null ? null : url.replaceAll("/+$", ""), key);
    }

    void save(Map<String, String> env) throws IOException {
        Path file = file(env);
        Files.createDirectories(file.getParent());
        Properties p = new Properties();
        p.setProperty("api_url", apiUrl);
        p.setProperty("api_key", apiKey);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "chaser login");
        }
    }
}
