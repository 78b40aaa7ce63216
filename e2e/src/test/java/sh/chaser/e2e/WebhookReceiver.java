package sh.chaser.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver as a customer would write one: it verifies {@code Chaser-Signature} (HMAC over
 * {@code t + "." + body}, t no older than 5 minutes) and, to prove the platform's retries, fails the
 * first three attempts of every event: an error (500), silence past the platform's timeout, then
 * 503. From the fourth attempt on it accepts (204) and counts the event as accepted.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final AtomicReference<String> secret = new AtomicReference<>();
    /** CloudEvent id → attempts seen (valid signatures only). */
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    /** CloudEvent id → the accepted event. */
    final Map<String, JsonNode> accepted = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> acceptedTimes = new ConcurrentHashMap<>();
    final List<String> refusedSignatures = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final long silenceMillis;

    WebhookReceiver(long silenceMillis) throws Exception {
        this.silenceMillis = silenceMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hooks/chaser", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/chaser";
    }

    private void handle(HttpExchange exchange) throws java.io.IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String signature = exchange.getRequestHeaders().getFirst("Chaser-Signature");
        if (!valid(signature, body)) {
            refusedSignatures.add(signature + " " + body);
            respond(exchange, 400);
            return;
        }
        JsonNode event = JSON.readTree(body);
        String id = event.get("id").asText();
        int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        switch (attempt) {
            case 1 -> respond(exchange, 500);
            case 2 -> {
                try {
                    TimeUnit.MILLISECONDS.sleep(silenceMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            }
            case 3 -> respond(exchange, 503);
            default -> {
                accepted.put(id, event);
                acceptedTimes.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                respond(exchange, 204);
            }
        }
    }

    private boolean valid(String header, String body) {
        if (header == null || secret.get() == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
            return false;
        }
        long t = Long.parseLong(header.substring(2, header.indexOf(',')));
        if (Math.abs(System.currentTimeMillis() / 1000 - t) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.get().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
            return java.security.MessageDigest.isEqual(expected.getBytes(),
                    header.substring(header.indexOf("v1=") + 3).getBytes());
        } catch (Exception e) {
            return false;
        }
    }

    private static void respond(HttpExchange exchange, int status) throws java.io.IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
