package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The CONNECT exchange as bytes: the request, a reply that comes in pieces, and the replies that fail. */
class ProxyTunnelTest {

    private static ProxyTunnel tunnel() {
        return new ProxyTunnel(new InetSocketAddress("127.0.0.1", 3128), "[::1]", 9001, null);
    }

    private static void feed(ProxyTunnel tunnel, String bytes) {
        tunnel.reply().put(bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theRequestNamesTheAuthorityAndNoAuthorizationUnlessGiven() {
        assertEquals("CONNECT [::1]:9001 HTTP/1.1\r\nHost: [::1]:9001\r\n\r\n",
                StandardCharsets.ISO_8859_1.decode(tunnel().request()).toString());
    }

    @Test
    void aReplyInPiecesOpensTheTunnelOnlyOnceItsHeadIsComplete() throws Exception {
        ProxyTunnel tunnel = tunnel();
        feed(tunnel, "HTTP/1.0 200 Connection established\r\nVia: x\r");
        assertFalse(tunnel.isOpen());
        feed(tunnel, "\n\r");
        assertFalse(tunnel.isOpen());
        feed(tunnel, "\n");
        assertTrue(tunnel.isOpen());
    }

    @Test
    void aRefusalCarriesTheProxysStatus() {
        ProxyTunnel tunnel = tunnel();
        feed(tunnel, "HTTP/1.1 403 Forbidden\r\n\r\n");
        HandshakeFailedException refused = assertThrows(HandshakeFailedException.class, tunnel::isOpen);
        assertEquals(403, refused.status());
        assertTrue(refused.getMessage().contains("CONNECT [::1]:9001 with HTTP/1.1 403 Forbidden"),
                refused.getMessage());
    }

    @Test
    void bytesAfterTheHeadOrNoStatusLineOrAnEndlessHeadFail() {
        ProxyTunnel early = tunnel();
        feed(early, "HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 101");
        assertTrue(assertThrows(HandshakeFailedException.class, early::isOpen).getMessage().contains("after"));
        ProxyTunnel garbage = tunnel();
        feed(garbage, "SSH-2.0-OpenSSH\r\n\r\n");
        assertEquals(0, assertThrows(HandshakeFailedException.class, garbage::isOpen).status());
        ProxyTunnel endless = tunnel();
        feed(endless, "HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(ProxyTunnel.MAX_REPLY_HEAD / 6)
                .substring(0, ProxyTunnel.MAX_REPLY_HEAD - 17));
        assertTrue(assertThrows(HandshakeFailedException.class, endless::isOpen).getMessage().contains("longer"));
    }
}
