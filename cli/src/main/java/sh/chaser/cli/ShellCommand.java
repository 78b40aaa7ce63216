package sh.chaser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chaser shell}: an interactive terminal in a sandbox over the session's {@code pty} WebSocket,
 * with the local terminal in raw mode, its size sent at start and on every change, and the remote
 * shell's exit code as ours.
 */
@Command(name = "shell", mixinStandardHelpOptions = true, description = "A terminal in a sandbox (raw mode, resize, exit code).%n"
        + "  chaser shell <session>%n  chaser shell -w my-project%n  chaser shell <session> -c 'make test'")
final class ShellCommand implements Callable<Integer> {

    @ParentCommand
    Chaser chaser;
    @Parameters(arity = "0..1", paramLabel = "SESSION", description = "a running session (else see -w, --ephemeral)")
    String session;
    @Option(names = "-c", paramLabel = "COMMAND", description = "run this command instead of a login shell")
    String command;
    @Mixin
    Target target;

    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    @Override
    public Integer call() throws Exception {
        Api api = chaser.api();
        String id = session != null
                ? session
                : target.session != null
                        ? target.session
                        : api.json("POST", "/v1/sessions", target.createBody()).path("id").asText();
        int[] size = Tty.size();
        int rows = size == null ? 24 : size[0];
        int cols = size == null ? 80 : size[1];
        String query = "?mode=" + (command == null ? "human" : "exec") + "&rows=" + rows + "&cols=" + cols
                + (command == null ? "" : "&command=" + Api.q(command));
        URI uri = URI.create(api.profile().apiUrl().replaceFirst("^http", "ws") + "/v1/sessions/" + Api.q(id) + "/pty"
                + query);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + api.profile().apiKey());
        if (chaser.account != null) {
            builder.header("X-Chaser-Account", chaser.account);
        }
        WebSocket socket;
        try {
            socket = builder.buildAsync(uri, new Listener(System.out)).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ApiError("pty_refused", "the terminal could not be opened: " + e.getCause().getMessage());
        }
        Tty tty = new Tty();
        boolean raw = Tty.present();
        if (raw) {
            tty.raw();
            Runtime.getRuntime().addShutdownHook(new Thread(tty::restore));
        }
        try {
            Resizes.follow(socket, rows, cols);
            pump(System.in, socket);
            closed.join();
        } finally {
            tty.restore();
        }
        return exitCode.get() < 0 ? 1 : exitCode.get();
    }

    /** Keys to the remote terminal, as they come, on a thread of their own (stdin blocks). */
    private void pump(InputStream in, WebSocket socket) {
        Thread keys = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n = in.read(buf); n >= 0 && !closed.isDone(); n = in.read(buf)) {
                    ByteBuffer typed = ByteBuffer.wrap(buf, 0, n);
                    Resizes.send(socket, ws -> ws.sendBinary(typed, true));
                }
            } catch (IOException | RuntimeException e) {
                // the socket closed under us: the listener ends the command
            }
        }, "chaser-shell-keys");
        keys.setDaemon(true);
        keys.start();
    }

    private final class Listener implements WebSocket.Listener {

        private final OutputStream out;
        private final StringBuilder text = new StringBuilder();

        Listener(OutputStream out) {
            this.out = out;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                ws.abort();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode control = Api.JSON.readTree(text.toString());
                    if ("exit".equals(control.path("type").asText())) {
                        exitCode.set(control.path("exit_code").asInt(1));
                    }
                } catch (IOException e) {
                    // not a control message of ours: ignored
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            System.err.println("\r\nchaser: the terminal's connection failed: " + error.getMessage());
            closed.complete(null);
        }
    }
}
