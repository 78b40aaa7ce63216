package sh.chaser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The public API over HTTP with the profile's key and the chosen account; refusals become {@link ApiError}. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Profile profile;
    private final String account;

    Api(Profile profile, String account) {
        if (profile.apiUrl() == null || profile.apiKey() == null) {
            throw new ApiError("not_logged_in", "no API URL or key: run 'chaser login --api-url <url> --api-key"
                    + " <key>' or set CHASER_API_URL and CHASER_API_KEY");
        }
        this.profile = profile;
        this.account = account;
    }

    Profile profile() {
        return profile;
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    HttpRequest.Builder request(String path) {
        var b = HttpRequest.newBuilder(URI.create(profile.apiUrl() + path))
                .header("Authorization", "Bearer " + profile.apiKey()).timeout(Duration.ofMinutes(30));
        if (account != null) {
            b.header("X-Chaser-Account", account);
        }
        return b;
    }

    JsonNode json(String method, String path, Object body) {
        try {
            var b = request(path);
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
            if (r.statusCode() >= 400) {
                throw refusal(r.statusCode(), answer);
            }
            return answer;
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError("interrupted", "interrupted");
        }
    }

    /** Sends {@code request} without waiting; a failure to reach the API becomes an {@link ApiError}. */
    java.util.concurrent.CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).exceptionally(e -> {
            throw unreachable(e.getCause() instanceof IOException io ? io : new IOException(e));
        });
    }

    /** Sends {@code request} and returns the answer's body as a stream; a refusal is thrown. */
    HttpResponse<InputStream> stream(HttpRequest request) {
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() >= 400) {
                try (InputStream body = r.body()) {
                    byte[] bytes = body.readAllBytes();
                    throw refusal(r.statusCode(), bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes));
                }
            }
            return r;
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError("interrupted", "interrupted");
        }
    }

    private ApiError unreachable(IOException e) {
        String why = e instanceof ConnectException ? "nothing answers there" : e.toString();
        return new ApiError("unreachable", "cannot reach " + profile.apiUrl() + " (" + why + "); is the platform up"
                + " (./chaser up) and CHASER_API_URL right?");
    }

    private static ApiError refusal(int status, JsonNode body) {
        JsonNode error = body.path("error");
        return new ApiError(error.path("code").asText("http_" + status),
                error.path("message").asText("the API answered " + status));
    }
}
