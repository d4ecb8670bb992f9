package dev.wsreactor.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyHeaderParserTest {

    private static final byte[] REQUEST = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Feeds the header followed by the request; the request must stay in the buffer. */
    private static ProxyHeader parse(byte[] header) {
        ProxyHeaderParser parser = new ProxyHeaderParser();
        ByteBuffer in = ByteBuffer.wrap(ProxyHeaders.concat(header, REQUEST));
        assertEquals(ProxyHeaderParser.Outcome.DONE, parser.feed(in), parser.failure());
        assertEquals(header.length, in.position(), "takes the header's bytes and no more");
        return parser.header();
    }

    private static String failure(byte[] bytes) {
        ProxyHeaderParser parser = new ProxyHeaderParser();
        assertEquals(ProxyHeaderParser.Outcome.FAILED, parser.feed(ByteBuffer.wrap(bytes)));
        assertEquals(ProxyHeaderParser.Outcome.FAILED, parser.feed(ByteBuffer.wrap(REQUEST)), "failed for good");
        assertNull(parser.header());
        return parser.failure();
    }

    @Test
    void v1Tcp4AndTcp6() {
        ProxyHeader header = parse(ProxyHeaders.v1("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443"));
        assertEquals(1, header.version());
        assertEquals(ProxyHeader.Family.INET, header.family());
        assertArrayEquals(IpAddress.parse("192.0.2.1"), header.source());
        assertEquals(56324, header.sourcePort());
        assertArrayEquals(IpAddress.parse("198.51.100.2"), header.destination());
        assertEquals(443, header.destinationPort());
        assertTrue(header.hasClientAddress());
        header = parse(ProxyHeaders.v1("PROXY TCP6 2001:db8::1 2001:db8::2 0 65535"));
        assertEquals(ProxyHeader.Family.INET6, header.family());
        assertArrayEquals(IpAddress.parse("2001:db8::1"), header.source());
        assertEquals(0, header.sourcePort());
    }

    @Test
    void v1Unknown() {
        assertFalse(parse(ProxyHeaders.v1("PROXY UNKNOWN")).hasClientAddress());
        ProxyHeader header = parse(ProxyHeaders.v1("PROXY UNKNOWN ffff:f...f:ffff 1.2.3.4 65535 65535"));
        assertEquals(ProxyHeader.Family.UNSPEC, header.family());
        assertFalse(header.hasClientAddress());
    }

    @Test
    void v1AtItsLongest() {
        String address = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        String longest = "PROXY UNKNOWN " + address + " " + address + " 65535 65535"; // the spec's worst case
        assertEquals(ProxyHeaderParser.MAX_V1_LENGTH, longest.length() + 2);
        assertEquals(ProxyHeader.Family.UNSPEC, parse(ProxyHeaders.v1(longest)).family());
        String tcp6 = "PROXY TCP6 " + address + " " + address + " 65535 65535";
        assertEquals(65535, parse(ProxyHeaders.v1(tcp6)).sourcePort());
    }

    @Test
    void v1MalformedForms() {
        for (String line : List.of("PROXY", "PROXY ", "PROXY TCP4", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3",
                "PROXY TCP4 1.2.3.4 5.6.7.8 1", "PROXY TCP4 2001:db8::1 5.6.7.8 1 2", "PROXY TCP6 1.2.3.4 5.6.7.8 1 2",
                "PROXY TCP4 1.2.3.4  5.6.7.8 1 2", "PROXY TCP4 1.2.3.4 5.6.7.8 1 65536", "PROXY TCP4 1.2.3.4 5.6.7.8 01 2",
                "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2", "PROXY UDP4 1.2.3.4 5.6.7.8 1 2", "PROXY tcp4 1.2.3.4 5.6.7.8 1 2",
                "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 ", "PROXY TCP4 localhost 5.6.7.8 1 2", "PROXY UNKNOWNX")) {
            String failure = failure(ProxyHeaders.v1(line));
            assertTrue(failure.contains("v1") || failure.contains("wrong signature"), line + ": " + failure);
        }
        assertTrue(failure("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n".getBytes(StandardCharsets.US_ASCII)).contains("v1"));
        assertTrue(failure("PROXY TCP4 1.2.3.4\r5.6.7.8 1 2\r\n".getBytes(StandardCharsets.US_ASCII)).contains("CR"));
        assertTrue(failure("PROXY TCP4 1.2.3.4 \u00e9 1 2\r\n".getBytes(StandardCharsets.ISO_8859_1))
                .contains("non-ASCII"));
        assertTrue(failure(ProxyHeaders.v1("PROXY UNKNOWN " + "x".repeat(100))).contains("longer than 107"));
    }

    @Test
    void absentHeaderFailsAtTheFirstByteThatCannotStartOne() {
        assertTrue(failure(REQUEST).contains("no PROXY protocol header"));
        assertTrue(failure("PRI * HTTP/2.0".getBytes(StandardCharsets.US_ASCII)).contains("wrong signature"));
        assertTrue(failure(new byte[] {0x16, 0x03, 0x01}).contains("first byte 0x16")); // a TLS ClientHello
        assertTrue(failure(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0B})
                .contains("wrong signature"));
    }

    @Test
    void v2Inet() {
        byte[] tlvs = {0x04, 0x00, 0x03, 'a', 'b', 'c', 0x20, 0x00, 0x01, 0x05}; // a NOOP and an SSL TLV: skipped
        ProxyHeader header = parse(ProxyHeaders.v2Tcp(IpAddress.parse("192.0.2.1"), 40000,
                IpAddress.parse("198.51.100.2"), tlvs));
        assertEquals(2, header.version());
        assertEquals(ProxyHeader.Command.PROXY, header.command());
        assertArrayEquals(IpAddress.parse("192.0.2.1"), header.source());
        assertEquals(40000, header.sourcePort());
        assertArrayEquals(IpAddress.parse("198.51.100.2"), header.destination());
        assertEquals(443, header.destinationPort());
    }

    @Test
    void v2Inet6() {
        ProxyHeader header = parse(ProxyHeaders.v2Tcp(IpAddress.parse("2001:db8::1"), 1, IpAddress.parse("::1"),
                new byte[0]));
        assertEquals(ProxyHeader.Family.INET6, header.family());
        assertArrayEquals(IpAddress.parse("2001:db8::1"), header.source());
        assertEquals(1, header.sourcePort());
    }

    @Test
    void v2LocalUnixAndUnspecCarryNoClientAddress() {
        ProxyHeader local = parse(ProxyHeaders.v2(0, 0x00, new byte[0]));
        assertEquals(ProxyHeader.Command.LOCAL, local.command());
        assertFalse(local.hasClientAddress());
        ProxyHeader localWithAddresses = parse(ProxyHeaders.v2(0, 0x11, new byte[12]));
        assertFalse(localWithAddresses.hasClientAddress());
        byte[] unix = new byte[216];
        unix[0] = '/';
        ProxyHeader overUnix = parse(ProxyHeaders.v2(1, 0x31, unix));
        assertEquals(ProxyHeader.Family.UNIX, overUnix.family());
        assertFalse(overUnix.hasClientAddress());
        assertFalse(parse(ProxyHeaders.v2(1, 0x00, new byte[] {1, 2, 3})).hasClientAddress());
    }

    @Test
    void v2MalformedForms() {
        byte[] inet = ProxyHeaders.v2Tcp(new byte[4], 1, new byte[4], new byte[0]);
        byte[] version1 = inet.clone();
        version1[12] = 0x11;
        assertTrue(failure(version1).contains("version 1"));
        byte[] command = inet.clone();
        command[12] = 0x22;
        assertTrue(failure(command).contains("unknown command"));
        byte[] family = inet.clone();
        family[13] = 0x41;
        assertTrue(failure(family).contains("unknown family"));
        byte[] transport = inet.clone();
        transport[13] = 0x13;
        assertTrue(failure(transport).contains("unknown family or transport"));
        assertTrue(failure(ProxyHeaders.v2(1, 0x11, new byte[11])).contains("too short"));
        assertTrue(failure(ProxyHeaders.v2(1, 0x21, new byte[35])).contains("too short"));
        assertTrue(failure(ProxyHeaders.v2(1, 0x31, new byte[215])).contains("too short"));
        byte[] oversized = ProxyHeaders.v2(1, 0x11, new byte[ProxyHeaderParser.MAX_V2_BODY + 1]);
        assertTrue(failure(oversized).contains("over the limit"));
    }

    @Test
    void v2AtTheLimitAndInDatagrams() {
        assertNotNull(parse(ProxyHeaders.v2(1, 0x11, new byte[ProxyHeaderParser.MAX_V2_BODY])).source());
        assertFalse(parse(ProxyHeaders.v2(1, 0x12, new byte[12])).hasClientAddress()); // UDP: not our connection
    }

    @Test
    void byteByByte() {
        byte[] header = ProxyHeaders.v2Tcp(IpAddress.parse("192.0.2.1"), 7, IpAddress.parse("192.0.2.2"),
                new byte[] {1, 0, 2, 9, 9});
        ProxyHeaderParser parser = new ProxyHeaderParser();
        for (int i = 0; i < header.length - 1; i++) {
            assertEquals(ProxyHeaderParser.Outcome.NEED_MORE, parser.feed(ByteBuffer.wrap(header, i, 1)));
        }
        assertEquals(ProxyHeaderParser.Outcome.NEED_MORE, parser.feed(ByteBuffer.allocate(0)));
        assertEquals(ProxyHeaderParser.Outcome.DONE, parser.feed(ByteBuffer.wrap(header, header.length - 1, 1)));
        assertEquals(7, parser.header().sourcePort());
    }
}
