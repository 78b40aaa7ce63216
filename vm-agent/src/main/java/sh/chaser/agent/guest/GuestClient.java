package sh.chaser.agent.guest;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The host's side of {@code chaser-guest}, the agent inside a sandbox or VM (vm-agent/guest): one
 * client per guest address and token. Calls block; run them off the event loop.
 */
public final class GuestClient {

    /** Where a guest's agent listens and the token it wants. */
    public record Address(String host, int port, String token) {

        URI uri(String pathAndQuery) {
            return URI.create("http://" + host + ":" + port + pathAndQuery);
        }
    }

    public record ExecResult(int exitCode, byte[] output, boolean outputTruncated, boolean timedOut) {}

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Address address;

    public GuestClient(Address address) {
        this.address = address;
    }

    public Address address() {
        return address;
    }

    /** Whether the agent answers (with this token). */
    public boolean ready() {
        try {
            return send(request("/v1/ready").timeout(Duration.ofSeconds(2)).GET()).statusCode() == 200;
        } catch (GuestException | IOException e) {
            return false;
        }
    }

    /**
     * Writes the guest's dirty pages out and freezes its workspace file system (a pause's first step);
     * the guest thaws it itself after {@code thawAfter} unless {@link #thaw} comes first.
     */
    public void freeze(Duration thawAfter) throws IOException {
        send(request("/v1/freeze").timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers
                .ofString(new JsonObject().put("thaw_after_ms", thawAfter.toMillis()).encode())));
    }

    /** Thaws the workspace file system (fine when it is not frozen) and sets the guest's clock to {@code now}. */
    public void thaw(java.time.Instant now) throws IOException {
        send(request("/v1/thaw").timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers
                .ofString(new JsonObject().put("now_unix_ms", now.toEpochMilli()).encode())));
    }

    /** Runs one command to its end (killed at the deadline: exit code 137), keeping 1 MiB of its output. */
    public ExecResult exec(String command, String cwd, Map<String, String> env, Duration timeout) throws IOException {
        return exec(command, cwd, env, timeout, 1 << 20);
    }

    /** Runs one command to its end, keeping at most {@code maxOutput} bytes (16 MiB at most) of its output. */
    public ExecResult exec(String command, String cwd, Map<String, String> env, Duration timeout, int maxOutput)
            throws IOException {
        JsonObject answer = json(send(request("/v1/exec").timeout(timeout.plusSeconds(10)).POST(
                HttpRequest.BodyPublishers.ofString(execBody(command, cwd, env, timeout.toMillis(), maxOutput)))));
        return execResult(answer);
    }

    /** The guest's {@code /v1/exec} request body. */
    static String execBody(String command, String cwd, Map<String, String> env, long timeoutMs, int maxOutput) {
        return new JsonObject().put("command", command).put("cwd", cwd == null ? "" : cwd)
                .put("env", env == null ? Map.of() : env).put("timeout_ms", timeoutMs)
                .put("max_output_bytes", maxOutput).encode();
    }

    /** The guest's {@code /v1/exec} answer. */
    static ExecResult execResult(JsonObject answer) {
        return new ExecResult(answer.getInteger("exit_code"), Base64.getDecoder().decode(answer.getString("output")),
                answer.getBoolean("output_truncated", false), answer.getBoolean("timed_out", false));
    }

    /** Writes a file (at most 16 MiB) as the sandbox's user; the guest's answer {path, size, sha256}. */
    public JsonObject put(String path, byte[] data) throws IOException {
        return json(send(request("/v1/files?path=" + encode(path)).timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data))));
    }

    public byte[] get(String path) throws IOException {
        HttpResponse<byte[]> answer = sendBytes(
                request("/v1/files?path=" + encode(path)).timeout(Duration.ofSeconds(60)).GET());
        return answer.body();
    }

    /** Writes a file from the host's disk (at most 16 MiB); the guest's answer {path, size, sha256}. */
    public JsonObject put(String path, java.nio.file.Path source) throws IOException {
        return json(send(request("/v1/files?path=" + encode(path)).timeout(Duration.ofSeconds(120))
                .PUT(HttpRequest.BodyPublishers.ofFile(source))));
    }

    /** {path, size, mode, is_dir, modified_at} of what is at {@code path} (links followed). */
    public JsonObject stat(String path) throws IOException {
        return json(send(request("/v1/stat?path=" + encode(path)).timeout(Duration.ofSeconds(30)).GET()));
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(address.uri(pathAndQuery)).header("Authorization", "Bearer " + address.token());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) throws IOException {
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The answer, or the guest's refusal as a {@link GuestException}. */
    static <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) throws IOException {
        try {
            HttpResponse<T> answer = HTTP.send(request.build(), body);
            if (answer.statusCode() >= 400) {
                Object content = answer.body();
                if (content instanceof java.io.InputStream stream) {
                    try (stream) {
                        content = stream.readNBytes(64 * 1024);
                    }
                }
                throw GuestException.of(answer.statusCode(), content instanceof byte[] bytes
                        ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                        : String.valueOf(content));
            }
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static JsonObject json(HttpResponse<String> answer) {
        return new JsonObject(answer.body());
    }

    static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
