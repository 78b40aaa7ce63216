package sh.chaser.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A small HTTP client for the public API, as a user's script would use it. */
final class Api {

    record Reply(int status, JsonNode body, String requestId, java.net.http.HttpHeaders headers) {

        Reply(int status, JsonNode body, String requestId) {
            this(status, body, requestId, java.net.http.HttpHeaders.of(java.util.Map.of(), (k, v) -> true));
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Reply call(String method, String path, String token, String account, String jsonBody) throws Exception {
        return call(method, path, token, account, jsonBody, java.util.Map.of());
    }

    /** The same, with more request headers (an Idempotency-Key). */
    Reply call(String method, String path, String token, String account, String jsonBody,
            java.util.Map<String, String> headers) throws Exception {
        // the longest answer a caller waits for is a foreground exec at its 10-minute maximum
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(java.time.Duration.ofSeconds(660))
                .method(method, jsonBody == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (account != null) {
            request.header("X-Chaser-Account", account);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
            return new Reply(r.statusCode(), body, r.headers().firstValue("X-Request-Id").orElse(null), r.headers());
        } catch (ConnectException refused) {
            return null;
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    Reply get(String path, String token) throws Exception {
        return call("GET", path, token, null, null);
    }
}
