package sh.chaser.e2e;

/**
 * One HTML page over HTTP/1.0 in a network namespace the test made (a NeighbourHost's): a few lines
 * of Python, since http.server looks its own name up and such a namespace has no DNS.
 */
final class HtmlServer implements AutoCloseable {

    private final Process server;

    HtmlServer(String netns, String address, int port, String html) throws Exception {
        String script = "import socket\n"
                + "body = " + pythonBytes(html) + "\n"
                + "s = socket.create_server(('" + address + "', " + port + "))\n"
                + "while True:\n"
                + "    c = s.accept()[0]\n"
                + "    c.recv(65536)\n"
                + "    c.sendall(b'HTTP/1.0 200 OK\\r\\nContent-Type: text/html\\r\\nContent-Length: '"
                + " + str(len(body)).encode() + b'\\r\\n\\r\\n' + body)\n"
                + "    c.close()\n";
        server = new ProcessBuilder("ip", "netns", "exec", netns, "python3", "-c", script)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Await.until(() -> {
            try (var probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress(address, port), 200);
                return true;
            } catch (java.io.IOException notYet) {
                return false;
            }
        }, 10, "the page is served at " + address + ":" + port);
    }

    private static String pythonBytes(String text) {
        StringBuilder out = new StringBuilder("b'");
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            out.append(String.format("\\x%02x", b));
        }
        return out.append("'").toString();
    }

    @Override
    public void close() throws Exception {
        server.destroyForcibly().waitFor();
    }
}
