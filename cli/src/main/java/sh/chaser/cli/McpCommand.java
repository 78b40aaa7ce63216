package sh.chaser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code chaser mcp serve}: MCP over stdio for agents that speak only that, bridged to {@code /v1/mcp}. */
@Command(name = "mcp", mixinStandardHelpOptions = true, description = "MCP for agents.", subcommands = McpCommand.Serve.class)
final class McpCommand {

    @ParentCommand
    Chaser chaser;

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve MCP on stdin/stdout (one JSON-RPC message per line), each message sent to the"
            + " platform's /v1/mcp with your key; ends at the end of stdin.")
    static final class Serve implements Callable<Integer> {

        @ParentCommand
        McpCommand parent;

        @Override
        public Integer call() throws IOException {
            Api api = parent.chaser.api();
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String message = line;
                HttpRequest request = api.request("/v1/mcp").header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(message)).build();
                pending.add(api.sendAsync(request).handle((answer, failure) -> {
                    if (failure != null) {
                        refuse(out, message, "unreachable", failure.getMessage());
                    } else {
                        reply(out, message, answer);
                    }
                    return null;
                }));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
            return 0;
        }

        /** The platform's answer as one line; a refusal before MCP (a key, a limit) as a JSON-RPC error. */
        private static void reply(PrintStream out, String message, HttpResponse<String> answer) {
            try {
                if (answer.statusCode() == 202) {
                    return;
                }
                JsonNode body = answer.body().isEmpty() ? Api.JSON.nullNode() : Api.JSON.readTree(answer.body());
                if (!body.has("jsonrpc")) {
                    refuse(out, message, body.path("error").path("code").asText("http_" + answer.statusCode()),
                            body.path("error").path("message").asText());
                    return;
                }
                print(out, body);
            } catch (IOException e) {
                System.err.println("chaser mcp serve: an answer could not be read: " + e.getMessage());
            }
        }

        /** A JSON-RPC error for a request the platform did not take (a notification gets none). */
        private static void refuse(PrintStream out, String message, String code, String why) {
            try {
                JsonNode id = Api.JSON.readTree(message).path("id");
                if (id.isMissingNode()) {
                    return;
                }
                ObjectNode error = Api.JSON.createObjectNode().put("jsonrpc", "2.0");
                error.set("id", id);
                error.putObject("error").put("code", -32000).put("message", code + ": " + why);
                print(out, error);
            } catch (IOException e) {
                System.err.println("chaser mcp serve: not a JSON-RPC message: " + message);
            }
        }

        private static void print(PrintStream out, JsonNode message) throws IOException {
            String line = Api.JSON.writeValueAsString(message);
            synchronized (out) {
                out.println(line);
            }
        }
    }
}
