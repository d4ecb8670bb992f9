package dev.wsreactor.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wsreactor.protocol.handshake.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

    private static final AddressRanges PROXIES = AddressRanges.parse(List.of("10.0.0.0/8", "2001:db8:cafe::/48"));

    private static ForwardedClient resolve(String... headers) {
        return ForwardedHeaders.resolve(HttpHeaders.of(headers), PROXIES);
    }

    private static void assertClient(String address, int port, String scheme, ForwardedClient client) {
        assertEquals(ForwardedClient.Verdict.FORWARDED, client.verdict(), String.valueOf(client.problem()));
        assertArrayEquals(IpAddress.parse(address), client.address());
        assertEquals(port, client.port());
        assertEquals(scheme, client.scheme());
    }

    @Test
    void forwardedForWithProto() {
        assertClient("203.0.113.9", 0, "wss", resolve("Forwarded", "for=203.0.113.9;proto=https"));
        assertClient("203.0.113.9", 4711, "ws", resolve("Forwarded", "For=\"203.0.113.9:4711\";Proto=http"));
    }

    @Test
    void quotedIpv6WithPort() {
        assertClient("2001:db8::17", 4711, null, resolve("Forwarded", "for=\"[2001:db8::17]:4711\""));
        assertClient("2001:db8::17", 0, null, resolve("Forwarded", "for=\"[2001:db8::17]\""));
    }

    @Test
    void rightmostUntrustedHopIsTheClient() {
        // The client wrote the first element itself: it is skipped because a real address sits right of it.
        assertClient("198.51.100.1", 0, "wss", resolve("Forwarded",
                "for=192.0.2.66, for=198.51.100.1;proto=https, for=10.1.1.1;proto=http"));
        assertClient("198.51.100.1", 0, null, resolve("Forwarded", "for=192.0.2.66",
                "Forwarded", "for=198.51.100.1, for=\"[2001:db8:cafe::5]\""));
    }

    @Test
    void everyHopTrustedMeansTheLeftmost() {
        assertClient("10.0.0.2", 0, null, resolve("Forwarded", "for=10.0.0.2, for=10.0.0.3"));
        assertClient("10.0.0.2", 0, null, resolve("X-Forwarded-For", "10.0.0.2, 10.0.0.3"));
    }

    @Test
    void unknownAndObfuscatedNodesStopTheWalk() {
        assertEquals(ForwardedClient.Verdict.IGNORED, resolve("Forwarded", "for=unknown").verdict());
        assertEquals(ForwardedClient.Verdict.IGNORED, resolve("Forwarded", "for=_hidden;proto=https").verdict());
        assertEquals(ForwardedClient.Verdict.IGNORED, resolve("Forwarded", "for=\"_gazonk:_port\"").verdict());
        assertEquals(ForwardedClient.Verdict.IGNORED, resolve("Forwarded", "proto=https").verdict()); // no for=
        // Left of an untrusted address, an unknown node does not matter.
        assertClient("198.51.100.1", 0, null, resolve("Forwarded", "for=unknown, for=198.51.100.1"));
        // An obfuscated port on an address is allowed (§6.3) and reads as no port.
        assertClient("198.51.100.1", 0, null, resolve("Forwarded", "for=\"198.51.100.1:_p1\""));
    }

    @Test
    void forwardedWinsOverXForwardedFor() {
        assertClient("198.51.100.1", 0, null, resolve("Forwarded", "for=198.51.100.1",
                "X-Forwarded-For", "192.0.2.99"));
        // X-Forwarded-Proto still tells the scheme when the chosen element has no proto= of its own.
        assertClient("198.51.100.1", 0, "wss", resolve("Forwarded", "for=198.51.100.1",
                "X-Forwarded-Proto", "https"));
        assertClient("198.51.100.1", 0, "ws", resolve("Forwarded", "for=198.51.100.1;proto=http",
                "X-Forwarded-Proto", "https"));
    }

    @Test
    void xForwardedForWithProto() {
        assertClient("203.0.113.5", 0, "wss", resolve("X-Forwarded-For", "192.0.2.1, 203.0.113.5, 10.2.2.2",
                "X-Forwarded-Proto", "https"));
        assertClient("2001:db8::9", 0, "ws", resolve("X-Forwarded-For", "2001:db8::9", "X-Forwarded-Proto", "http"));
        assertClient("2001:db8::9", 8080, null, resolve("X-Forwarded-For", "[2001:db8::9]:8080"));
        assertClient("203.0.113.5", 1234, null, resolve("X-Forwarded-For", "203.0.113.5:1234"));
        assertClient("203.0.113.5", 0, null, resolve("X-Forwarded-For", "192.0.2.1",
                "X-Forwarded-For", "203.0.113.5"));
    }

    @Test
    void protoAloneOnlyTellsTheScheme() {
        ForwardedClient client = resolve("X-Forwarded-Proto", "https");
        assertEquals(ForwardedClient.Verdict.NOT_FORWARDED, client.verdict());
        assertEquals("wss", client.scheme());
        assertNull(resolve("X-Forwarded-Proto", "gopher").scheme());
        assertEquals(ForwardedClient.Verdict.NOT_FORWARDED, resolve("Host", "example.com").verdict());
    }

    @Test
    void everyMalformedFormIsIgnored() {
        List<String> forwarded = List.of("", " ", ",", "for", "for=", "for=;", "=1.2.3.4", "for=1.2.3.4;for=5.6.7.8",
                "for=[2001:db8::1]", "for=\"[2001:db8::1\"", "for=\"2001:db8::1\"", "for=\"[1.2.3.4]\"",
                "for=\"1.2.3.4:99999\"", "for=\"1.2.3.4:\"", "for=\"1.2.3.4", "for=1.2.3.4 for=5.6.7.8",
                "for=1.2.3.4,,for=\"_\"", "for=\"a\u0001b\"", "for=example.com", "for=\"[::1]x\"", "for=999.1.1.1",
                "for=1.2.3.4; proto=\"https", "for=\"\\", "for=\"[::1]:_\"", "by=1.2.3.4;;by=5.6.7.8");
        for (String value : forwarded) {
            ForwardedClient client = resolve("Forwarded", value, "X-Forwarded-For", "198.51.100.1");
            assertEquals(ForwardedClient.Verdict.IGNORED, client.verdict(), "Forwarded: " + value);
            assertNull(client.address(), value);
        }
        for (String value : List.of("", "unknown", "1.2.3.4,", ",1.2.3.4", "1.2.3.4 5.6.7.8", "[1.2.3.4]",
                "[::1", "::1]:80", "1.2.3.4:", "1.2.3.4:65536", "_obfuscated", "example.com")) {
            ForwardedClient client = resolve("X-Forwarded-For", value);
            assertEquals(ForwardedClient.Verdict.IGNORED, client.verdict(), "X-Forwarded-For: " + value);
        }
    }
}
