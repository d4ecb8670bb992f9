package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * {@code Forwarded} and {@code X-Forwarded-For}/{@code -Proto} on a real handshake: believed from a trusted proxy
 * (here the test itself, on loopback), ignored from anyone else and when malformed.
 */
class ForwardedHeadersIntegrationTest {

    /** The handshake request with extra header lines ({@code "Name: value\r\n"} each). */
    private static String upgradeWith(String extraHeaders) {
        return RawClient.UPGRADE_REQUEST.replace("Host: 127.0.0.1\r\n", "Host: 127.0.0.1\r\n" + extraHeaders);
    }

    private static Session sessionFor(WebSocketServer.Builder builder, String extraHeaders) throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = builder.bind("127.0.0.1", 0).handler(handler).daemon(true).build().start();
                RawClient client = new RawClient(server.port())) {
            client.write(upgradeWith(extraHeaders));
            assertTrue(client.readHead().startsWith("HTTP/1.1 101"));
            return RecordingHandler.await(handler.opened);
        }
    }

    private static InetSocketAddress address(String literal, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    @Test
    void xForwardedForFromATrustedProxy() throws Exception {
        Session session = sessionFor(WebSocketServer.builder().trustedProxies("127.0.0.1", "10.0.0.0/8"),
                "X-Forwarded-For: 192.0.2.66, 203.0.113.9, 10.9.9.9\r\nX-Forwarded-Proto: https\r\n");
        assertEquals(address("203.0.113.9", 0), session.clientAddress(), "the rightmost untrusted hop");
        assertEquals("wss", session.clientScheme());
        assertEquals(InetAddress.getLoopbackAddress(), session.remoteAddress().getAddress());
    }

    @Test
    void forwardedWithQuotedIpv6AndPort() throws Exception {
        Session session = sessionFor(WebSocketServer.builder().trustedProxies("::1", "127.0.0.0/8"),
                "Forwarded: for=\"[2001:db8:cafe::17]:4711\";proto=http\r\nX-Forwarded-For: 192.0.2.1\r\n");
        assertEquals(address("2001:db8:cafe::17", 4711), session.clientAddress());
        assertEquals("ws", session.clientScheme());
    }

    @Test
    void ignoredFromAnUntrustedPeer() throws Exception {
        String headers = "X-Forwarded-For: 203.0.113.9\r\nForwarded: for=203.0.113.9;proto=https\r\n"
                + "X-Forwarded-Proto: https\r\n";
        for (WebSocketServer.Builder builder : new WebSocketServer.Builder[] {WebSocketServer.builder(),
                WebSocketServer.builder().trustedProxies("10.0.0.0/8")}) {
            Session session = sessionFor(builder, headers);
            assertEquals(session.remoteAddress(), session.clientAddress());
            assertEquals("ws", session.clientScheme());
        }
    }

    @Test
    void malformedOrUnknownMeansTheSocketAddress() throws Exception {
        for (String headers : new String[] {"Forwarded: for=[2001:db8::1]\r\n", "Forwarded: for=unknown\r\n",
                "X-Forwarded-For: not-an-address\r\n", "Forwarded: for=\"_hidden\";proto=https\r\n"}) {
            Session session = sessionFor(WebSocketServer.builder().trustedProxies("127.0.0.1"), headers);
            assertEquals(session.remoteAddress(), session.clientAddress(), headers);
            assertEquals("ws", session.clientScheme(), headers);
        }
    }

    @Test
    void buildRefusesWhatIsNoAddressOrRange() {
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> WebSocketServer.builder().handler(new RecordingHandler())
                        .trustedProxies("10.0.0.0/8", "proxy.example").build());
        assertTrue(refused.getMessage().contains("proxy.example"), refused.getMessage());
    }
}
