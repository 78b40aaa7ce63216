package sh.chaser.agent.guest;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Background commands in a guest: started there, their output kept there and read by offset. */
public final class GuestCommands {

    public record Started(String id, long pid) {}

    public record Chunk(String stream, long offset, byte[] data) {}

    /** Output from an offset; {@code ended} once no more comes, with the exit code when it exited. */
    public record Read(List<Chunk> chunks, boolean ended, Integer exitCode) {}

    private final GuestClient client;

    public GuestCommands(GuestClient client) {
        this.client = client;
    }

    public Started start(String command, String cwd, Map<String, String> env) throws IOException {
        JsonObject body = new JsonObject().put("command", command).put("cwd", cwd == null ? "" : cwd)
                .put("env", env == null ? Map.of() : env);
        JsonObject answer = GuestClient.json(client.send(client.request("/v1/commands").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()))));
        return new Started(answer.getString("command_id"), answer.getLong("pid"));
    }

    /** What the command wrote from {@code offset} on, waiting up to {@code wait} when nothing is there yet. */
    public Read output(String id, long offset, Duration wait) throws IOException {
        JsonObject answer = GuestClient.json(client.send(client.request("/v1/commands/" + GuestClient.encode(id)
                + "/output?offset=" + offset + "&wait_ms=" + wait.toMillis()).timeout(wait.plusSeconds(30)).GET()));
        List<Chunk> chunks = new ArrayList<>();
        answer.getJsonArray("chunks").forEach(c -> {
            JsonObject chunk = (JsonObject) c;
            chunks.add(new Chunk(chunk.getString("stream"), chunk.getLong("offset"),
                    Base64.getDecoder().decode(chunk.getString("data"))));
        });
        return new Read(chunks, answer.getBoolean("ended", false), answer.getInteger("exit_code"));
    }

    /** Hands the command input; blocks while the command does not read it (its pipe is full). */
    public void stdin(String id, byte[] data, boolean eof) throws IOException {
        JsonObject body = new JsonObject().put("data", Base64.getEncoder().encodeToString(data)).put("eof", eof);
        client.send(client.request("/v1/commands/" + GuestClient.encode(id) + "/stdin")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    /** Forgets a finished command and the output the guest kept of it. */
    public void forget(String id) throws IOException {
        client.send(client.request("/v1/commands/" + GuestClient.encode(id)).timeout(Duration.ofSeconds(10)).DELETE());
    }

    public void kill(String id, String signal) throws IOException {
        client.send(client.request("/v1/commands/" + GuestClient.encode(id) + "/kill").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("signal", signal).encode())));
    }
}
