package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The PROXY protocol listener option over real sockets: v1 and v2 headers (split anyhow) name the client, what
 * follows them is the connection's own, and a connection with a bad, missing, slow or untrusted header is closed
 * and counted while the others go on.
 */
class ProxyProtocolIntegrationTest {

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 PROXY command over TCP from {@code source}:{@code port} to the same family's zero address, then TLVs. */
    static byte[] v2(InetSocketAddress source, byte[] tlvs) {
        byte[] address = source.getAddress().getAddress();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIGNATURE);
        out.write(0x21);
        out.write(address.length == 4 ? 0x11 : 0x21);
        int length = 2 * address.length + 4 + tlvs.length;
        out.write(length >> 8);
        out.write(length);
        out.writeBytes(address);
        out.writeBytes(new byte[address.length]);
        out.write(source.getPort() >> 8);
        out.write(source.getPort());
        out.write(0x01);
        out.write(0xBB);
        out.writeBytes(tlvs);
        return out.toByteArray();
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    static WebSocketServer.Builder server(RecordingHandler handler) {
        return WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .proxyProtocol(ProxyProtocol.REQUIRED);
    }

    /** Opens the session after {@code header} and checks that an echo goes through. */
    private static Session openAfter(RawClient client, RecordingHandler handler, byte[] header) throws Exception {
        client.write(concat(header, RawClient.UPGRADE_REQUEST.getBytes(StandardCharsets.US_ASCII)));
        assertTrue(client.readHead().startsWith("HTTP/1.1 101"));
        Session session = handler.opened.poll(20, TimeUnit.SECONDS);
        assertNotNull(session, "the session opens");
        client.writeFrame(Opcode.TEXT, true, "over the proxy".getBytes(StandardCharsets.UTF_8));
        assertEquals("over the proxy", client.readFrame().text());
        return session;
    }

    @Test
    void v1NamesTheClient() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = server(handler).build().start(); RawClient client = new RawClient(server.port())) {
            Session session = openAfter(client, handler, v1("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443"));
            assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 56324), session.clientAddress());
            assertEquals(InetAddress.getLoopbackAddress(), session.remoteAddress().getAddress());
            assertEquals("ws", session.clientScheme());
        }
    }

    @Test
    void v2WithTlvsByteByByteNamesAnIpv6Client() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        InetSocketAddress source = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 4711);
        byte[] header = v2(source, new byte[] {0x04, 0x00, 0x02, 'h', 'i', 0x20, 0x00, 0x01, 0x00});
        try (WebSocketServer server = server(handler).build().start(); RawClient client = new RawClient(server.port())) {
            for (int i = 0; i < header.length - 1; i++) {
                client.write(new byte[] {header[i]});
            }
            Session session = openAfter(client, handler, new byte[] {header[header.length - 1]});
            assertEquals(source, session.clientAddress());
        }
    }

    @Test
    void v2LocalAndV1UnknownKeepTheSocketAddress() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        byte[] local = concat(V2_SIGNATURE, new byte[] {0x20, 0x00, 0x00, 0x00});
        try (WebSocketServer server = server(handler).build().start()) {
            for (byte[] header : List.of(local, v1("PROXY UNKNOWN"))) {
                try (RawClient client = new RawClient(server.port())) {
                    Session session = openAfter(client, handler, header);
                    assertEquals(session.remoteAddress(), session.clientAddress());
                }
            }
        }
    }

    @Test
    void badMissingAndUntrustedHeadersCloseTheConnectionAndAreCounted() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        List<byte[]> bad = List.of(v1("PROXY TCP4 192.0.2.1 198.51.100.2 56324"), v1("PROXY TCP6 1.2.3.4 ::1 1 2"),
                ("PROXY UNKNOWN " + "x".repeat(200)).getBytes(StandardCharsets.US_ASCII),
                RawClient.UPGRADE_REQUEST.getBytes(StandardCharsets.US_ASCII), new byte[] {0x16, 0x03, 0x01, 0x02},
                concat(V2_SIGNATURE, new byte[] {0x21, 0x11, 0x00, 0x04, 1, 2, 3, 4}),
                concat(V2_SIGNATURE, new byte[] {0x21, 0x11, 0x7F, (byte) 0xFF}));
        try (WebSocketServer server = server(handler).build().start()) {
            for (int i = 0; i < bad.size(); i++) {
                try (RawClient client = new RawClient(server.port())) {
                    client.write(bad.get(i));
                    assertEquals("", client.readUntilClosed(), "closed without a byte: case " + i);
                }
                long expected = i + 1;
                Eventually.until(() -> server.stats().get(Counter.PROXY_HEADER_FAILURES) == expected, "counted");
            }
            try (RawClient client = new RawClient(server.port())) { // the server goes on
                openAfter(client, handler, v1("PROXY TCP4 192.0.2.1 198.51.100.2 1 2"));
            }
        }
        RecordingHandler untrusting = new RecordingHandler();
        try (WebSocketServer server = server(untrusting).trustedProxies("10.0.0.0/8", "2001:db8::/32").build().start();
                RawClient client = new RawClient(server.port())) {
            client.write(v1("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443"));
            assertEquals("", client.readUntilClosed(), "a header from an untrusted address is refused");
            Eventually.until(() -> server.stats().get(Counter.PROXY_HEADER_FAILURES) == 1, "counted");
        }
    }

    @Test
    void aHeaderThatNeverEndsTimesOutAsAHandshake() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = server(handler).handshakeTimeout(Duration.ofMillis(300)).build().start();
                RawClient client = new RawClient(server.port())) {
            long start = System.nanoTime();
            client.write("PROXY TCP4 192.0.2.1 ");
            assertTrue(client.serverClosedTcp(), "closed at the handshake timeout");
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMillis >= 250 && elapsedMillis < 10_000, "after about 300 ms: " + elapsedMillis);
            Eventually.until(() -> server.stats().get(Counter.HANDSHAKES_TIMED_OUT) == 1, "counted as timed out");
        }
    }
}
