package sh.chaser.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A Quarkus process is ready when {@code /q/health/ready} on its management port answers 200. */
final class HttpReadiness implements BooleanSupplier {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI uri;

    HttpReadiness(int port) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
    }

    @Override
    public boolean getAsBoolean() {
        try {
            var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
            return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
