package sh.chaser.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A forwarded request's head: where it goes on the gateway, and which headers are ours, not the client's. */
class ForwardHeadTest {

    @Test
    void thePathGoesUnderTheRouteAndTheKeyReplacesTheClientsHeaders() {
        String head = "GET /app?x=1 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nAuthorization: Bearer theirs\r\n"
                + "Accept: */*\r\nConnection: keep-alive\r\n\r\n";
        assertEquals("GET /v1/sessions/s/forward/3000/app?x=1 HTTP/1.1\r\nAccept: */*\r\nHost: api:8080\r\n"
                + "Authorization: Bearer sk_mine\r\nConnection: close\r\n\r\n",
                ForwardHead.rewrite(head, "/v1/sessions/s/forward/3000", "api:8080", "Bearer sk_mine", null));
    }

    @Test
    void aWebSocketUpgradeStaysAnUpgrade() {
        String head = "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
        String out = ForwardHead.rewrite(head, "/p", "h", "Bearer k", "org");
        assertEquals("GET /p/ws HTTP/1.1\r\nUpgrade: websocket\r\nHost: h\r\nAuthorization: Bearer k\r\n"
                + "X-Chaser-Account: org\r\nConnection: Upgrade\r\n\r\n", out);
    }

    @Test
    void anOfferOfAnotherProtocolIsDroppedAndTheRequestStaysPlain() {
        String head = "GET / HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAA\r\n"
                + "Upgrade: h2c\r\n\r\n";
        assertEquals("GET /p/ HTTP/1.1\r\nHost: h\r\nAuthorization: k\r\nConnection: close\r\n\r\n",
                ForwardHead.rewrite(head, "/p", "h", "k", null));
    }

    @Test
    void aHeadEndsAtTheBlankLineAndAnythingElseIsRefused() throws Exception {
        var in = new ByteArrayInputStream("GET / HTTP/1.1\r\nA: b\r\n\r\nBODY".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("GET / HTTP/1.1\r\nA: b\r\n\r\n", ForwardHead.read(in));
        assertNull(ForwardHead.read(new ByteArrayInputStream("GET / HT".getBytes(StandardCharsets.ISO_8859_1))));
        assertThrows(IllegalArgumentException.class, () -> ForwardHead.rewrite("GET http://evil/ HTTP/1.1\r\n\r\n",
                "/p", "h", "k", null));
    }
}
