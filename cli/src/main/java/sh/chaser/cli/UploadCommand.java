package sh.chaser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code chaser upload}: a local file into a sandbox, streamed (raw upload), with progress. */
@Command(name = "upload", mixinStandardHelpOptions = true, description = "Copy a local file into a sandbox session (at most 16 MiB; directories are made).")
final class UploadCommand implements Callable<Integer> {

    @ParentCommand
    Chaser chaser;
    @Parameters(index = "0", paramLabel = "SESSION")
    String session;
    @Parameters(index = "1", paramLabel = "LOCAL_FILE")
    Path local;
    @Parameters(index = "2", arity = "0..1", paramLabel = "REMOTE_PATH", description = "default: the file's name")
    String remote;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(local)) {
            throw new ApiError("invalid_request", local + " is not a file");
        }
        String path = remote == null ? local.getFileName().toString() : remote;
        long size = Files.size(local);
        Api api = chaser.api();
        Progress progress = new Progress("upload " + local.getFileName(), size, Progress.onTerminal(chaser.json));
        HttpRequest request = api.request("/v1/sessions/" + Api.q(session) + "/upload?path=" + Api.q(path))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return progress.counting(Files.newInputStream(local));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), size)).build();
        JsonNode written;
        try (InputStream answer = api.stream(request).body()) {
            written = Api.JSON.readTree(answer);
        }
        progress.finish();
        if (chaser.json) {
            Output.json(new java.io.PrintWriter(System.out, true), written);
        } else {
            System.out.println(written.path("path").asText() + "  " + written.path("size").asLong() + " bytes  sha256 "
                    + written.path("sha256").asText());
        }
        return 0;
    }
}
