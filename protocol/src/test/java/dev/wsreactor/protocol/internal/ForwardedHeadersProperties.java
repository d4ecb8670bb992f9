package dev.wsreactor.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.handshake.HttpHeaders;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The forwarding headers under anything a client may send: every malformed form is a clear IGNORED (use the
 * socket's address) and never an exception, and what a client writes in front of our proxy's hop can never make
 * another address the client's.
 */
class ForwardedHeadersProperties {

    private static final AddressRanges PROXIES = AddressRanges.parse(List.of("10.0.0.0/8"));
    private static final String REAL_CLIENT = "198.51.100.7";

    @Provide
    Arbitrary<String> headerish() {
        Arbitrary<String> fragments = Arbitraries.of("for=", "proto=", "by=", "host=", "\"", "[", "]", ":", ";", ",",
                " ", "=", "\\", "_", "unknown", "https", "192.0.2.1", "10.1.1.1", "2001:db8::1", "::1", "4711",
                "\u0000", "\u00e9", "for=\"[2001:db8::1]:80\"", "999", "x");
        Arbitrary<String> built = fragments.list().ofMaxSize(12).map(parts -> String.join("", parts));
        Arbitrary<String> random = Arbitraries.strings().ofMaxLength(40);
        return Arbitraries.oneOf(built, random);
    }

    @Property
    void anyForwardedValueEndsClearly(@ForAll("headerish") String value) {
        assertWellFormedOutcome(ForwardedHeaders.resolve(HttpHeaders.of("Forwarded", value), PROXIES));
    }

    @Property
    void anyXForwardedForValueEndsClearly(@ForAll("headerish") String value, @ForAll("headerish") String proto) {
        ForwardedClient client = ForwardedHeaders.resolve(HttpHeaders.of("X-Forwarded-For", value,
                "X-Forwarded-Proto", proto), PROXIES);
        assertWellFormedOutcome(client);
    }

    @Property
    void whatAClientWritesFirstCannotNameAnotherClient(@ForAll("headerish") String spoofed) {
        ForwardedClient viaForwarded = ForwardedHeaders.resolve(HttpHeaders.of("Forwarded", spoofed,
                "Forwarded", "for=" + REAL_CLIENT + ";proto=https"), PROXIES);
        assertRealClientOrIgnored(viaForwarded);
        ForwardedClient viaXff = ForwardedHeaders.resolve(HttpHeaders.of("X-Forwarded-For", spoofed,
                "X-Forwarded-For", REAL_CLIENT + ", 10.0.0.1"), PROXIES);
        assertRealClientOrIgnored(viaXff);
    }

    private static void assertRealClientOrIgnored(ForwardedClient client) {
        assertWellFormedOutcome(client);
        if (client.verdict() == ForwardedClient.Verdict.FORWARDED) {
            assertArrayEquals(IpAddress.parse(REAL_CLIENT), client.address());
        } else {
            assertEquals(ForwardedClient.Verdict.IGNORED, client.verdict());
        }
    }

    private static void assertWellFormedOutcome(ForwardedClient client) {
        assertNotNull(client.verdict());
        switch (client.verdict()) {
            case FORWARDED -> {
                assertTrue(client.address().length == 4 || client.address().length == 16);
                assertTrue(client.port() >= 0 && client.port() <= 65535);
                assertNull(client.problem());
            }
            case IGNORED -> {
                assertNull(client.address());
                assertNotNull(client.problem());
            }
            case NOT_FORWARDED -> assertNull(client.address());
        }
        assertTrue(client.scheme() == null || client.scheme().equals("ws") || client.scheme().equals("wss"));
    }
}
