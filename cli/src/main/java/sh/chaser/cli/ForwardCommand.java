package sh.chaser.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLSocketFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chaser forward}: a port on this machine's loopback that reaches a port in a sandbox through
 * the gateway's {@code forward/<port>/} route, HTTP and WebSocket alike. Each connection's request head
 * is rewritten (path under the route, the gateway's Host, the key) and the bytes then flow as they are.
 */
@Command(name = "forward", mixinStandardHelpOptions = true, description = "Serve a sandbox's port on 127.0.0.1 (HTTP and WebSocket), until interrupted.%n"
        + "  chaser forward <session> 3000          (local port 3000)%n"
        + "  chaser forward <session> 3000 8080     (local port 8080)")
final class ForwardCommand implements Callable<Integer> {

    @ParentCommand
    Chaser chaser;
    @Parameters(index = "0", paramLabel = "SESSION")
    String session;
    @Parameters(index = "1", paramLabel = "PORT", description = "the port in the sandbox")
    int port;
    @Parameters(index = "2", arity = "0..1", paramLabel = "LOCAL_PORT", description = "default: the same; 0 picks one")
    Integer localPort;

    @Override
    public Integer call() throws IOException {
        Api api = chaser.api();
        api.json("GET", "/v1/sessions/" + Api.q(session), null);
        URI gateway = URI.create(api.profile().apiUrl());
        String prefix = "/v1/sessions/" + Api.q(session) + "/forward/" + port;
        try (ServerSocket server = new ServerSocket(localPort == null ? port : localPort, 64,
                InetAddress.getLoopbackAddress())) {
            System.out.println("Forwarding http://127.0.0.1:" + server.getLocalPort() + "/ to port " + port
                    + " of session " + session + " (Ctrl-C to stop)");
            System.out.flush();
            while (true) {
                Socket local = server.accept();
                Thread t = new Thread(() -> relay(local, gateway, prefix, api), "chaser-forward");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private void relay(Socket local, URI gateway, String prefix, Api api) {
        try (local; Socket remote = connect(gateway)) {
            InputStream in = local.getInputStream();
            String head = ForwardHead.read(in);
            if (head == null) {
                return;
            }
            String rewritten = ForwardHead.rewrite(head, prefix, gateway.getAuthority(),
                    "Bearer " + api.profile().apiKey(), chaser.account);
            OutputStream toRemote = remote.getOutputStream();
            toRemote.write(rewritten.getBytes(StandardCharsets.ISO_8859_1));
            toRemote.flush();
            Thread back = new Thread(() -> copy(remote, local), "chaser-forward-back");
            back.setDaemon(true);
            back.start();
            in.transferTo(toRemote);
            remote.shutdownOutput();
            back.join();
        } catch (IOException e) {
            // the client or the gateway went away: this connection ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    private static Socket connect(URI gateway) throws IOException {
        boolean tls = "https".equals(gateway.getScheme());
        int port = gateway.getPort() > 0 ? gateway.getPort() : tls ? 443 : 80;
        return tls
                ? SSLSocketFactory.getDefault().createSocket(gateway.getHost(), port)
                : new Socket(gateway.getHost(), port);
    }
}
