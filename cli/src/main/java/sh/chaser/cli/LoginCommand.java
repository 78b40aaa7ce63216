package sh.chaser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Writes the profile: an API key as given, or one made for this CLI after a password sign-in. */
@Command(name = "login", mixinStandardHelpOptions = true, description = "Remember the API URL and a key (the profile, readable by you only).%n"
        + "With --email the password is read from the terminal (or stdin) and a key named chaser-cli is made.")
final class LoginCommand implements java.util.concurrent.Callable<Integer> {

    @ParentCommand
    Chaser chaser;
    @Option(names = "--api-url", required = true, description = "e.g. http://127.0.0.1:8080")
    String apiUrl;
    @Option(names = "--api-key", description = "an API key (sk_...)")
    String apiKey;
    @Option(names = "--email", description = "sign in with this user's password instead")
    String email;

    @Override
    public Integer call() throws IOException {
        String url = apiUrl.replaceAll("/+$", "");
        String key = apiKey;
        if (key == null && email == null) {
            throw new ApiError("invalid_request", "give --api-key, or --email to sign in with a password");
        }
        if (key == null) {
            String password = readPassword();
            JsonNode token = new Api(new Profile(url, "-"), null).json("POST", "/v1/auth/login",
                    Map.of("email", email, "password", password));
            Api signedIn = new Api(new Profile(url, token.path("access_token").asText()), chaser.account);
            key = signedIn.json("POST", "/v1/api-keys", Map.of("name", "chaser-cli")).path("key").asText();
        }
        JsonNode account = new Api(new Profile(url, key), chaser.account).json("GET", "/v1/accounts/current", null);
        new Profile(url, key).save(chaser.env);
        System.out.println("Logged in to " + url + " in account " + account.path("name").asText() + " ("
                + account.path("type").asText() + "); profile " + Profile.file(chaser.env));
        return 0;
    }

    private static String readPassword() throws IOException {
        if (System.console() != null) {
            char[] typed = System.console().readPassword("Password: ");
            return typed == null ? "" : new String(typed);
        }
        String line = new BufferedReader(new InputStreamReader(System.in)).readLine();
        return line == null ? "" : line;
    }
}
