package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.handshake.ExtensionOffer;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The negotiation rules of permessage-deflate, RFC 7692 §5 and §7.1, one offer header at a time. */
class PerMessageDeflateTest {

    private static final DeflateConfig SHARED = DeflateConfig.defaults();
    private static final DeflateConfig PER_CONNECTION = new DeflateConfig(true, false, 6, 256);

    private static Optional<String> answer(String header, DeflateConfig config) {
        return PerMessageDeflate.negotiate(ExtensionOffer.parseAll(List.of(header)), config)
                .map(agreement -> agreement.response().toHeaderValue());
    }

    @Test
    void rfc7692_7_aPlainOfferIsAcceptedAndTheSharedCompressorAnnouncesNoContextTakeover() {
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"), answer("permessage-deflate", SHARED));
    }

    @Test
    void rfc7692_7_1_1_withItsOwnCompressorTheServerKeepsContextUnlessAsked() {
        assertEquals(Optional.of("permessage-deflate"), answer("permessage-deflate", PER_CONNECTION));
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"),
                answer("permessage-deflate; server_no_context_takeover", PER_CONNECTION));
    }

    @Test
    void rfc7692_7_1_1_2_clientNoContextTakeoverIsAcknowledged() {
        Optional<PerMessageDeflate.Agreement> agreement = PerMessageDeflate.negotiate(
                ExtensionOffer.parseAll(List.of("permessage-deflate; client_no_context_takeover")), SHARED);
        assertTrue(agreement.orElseThrow().clientNoContextTakeover());
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                agreement.orElseThrow().response().toHeaderValue());
    }

    @Test
    void rfc7692_7_1_2_1_aServerWindowLimitIsAcceptedAndEchoed() {
        // Every offer of Autobahn's group 13, in its words; each is taken, none declined.
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                + "server_max_window_bits=9"), answer("permessage-deflate; client_no_context_takeover; "
                        + "client_max_window_bits; server_max_window_bits=9", SHARED));
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                + "server_max_window_bits=9"), answer("permessage-deflate; client_no_context_takeover; "
                        + "client_max_window_bits; server_no_context_takeover; server_max_window_bits=9", SHARED));
        assertEquals(Optional.of("permessage-deflate; server_max_window_bits=8"),
                answer("permessage-deflate; server_max_window_bits=8", PER_CONNECTION));
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; server_max_window_bits=15"),
                answer("permessage-deflate; server_max_window_bits=15", SHARED));
    }

    @Test
    void rfc7692_7_1_2_theAgreedWindowsAreReadBackPerSender() {
        PerMessageDeflate.Agreement agreement = PerMessageDeflate.negotiate(ExtensionOffer.parseAll(List.of(
                "permessage-deflate; server_max_window_bits=10; client_max_window_bits")),
                SHARED.withClientMaxWindowBits(12)).orElseThrow();
        assertEquals(10, agreement.windowBitsOf(Role.SERVER));
        assertEquals(12, agreement.windowBitsOf(Role.CLIENT));
        PerMessageDeflate.Agreement plain = PerMessageDeflate.Agreement.fromResponse(
                ExtensionOffer.parseAll(List.of("permessage-deflate")).get(0));
        assertEquals(15, plain.windowBitsOf(Role.SERVER));
        assertEquals(15, plain.windowBitsOf(Role.CLIENT));
    }

    @Test
    void rfc7692_7_1_2_2_clientMaxWindowBitsIsFineAndNeverEchoed() {
        // The browsers' usual offer.
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"),
                answer("permessage-deflate; client_max_window_bits", SHARED));
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"),
                answer("permessage-deflate; client_max_window_bits=9", SHARED));
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"),
                answer("permessage-deflate; client_max_window_bits=\"12\"", SHARED)); // a quoted value is a value
    }

    @Test
    void rfc7692_7_1_2_2_aServerMayAskForASmallerClientWindowOnlyWhereTheClientOfferedTheParameter() {
        DeflateConfig asking = SHARED.withClientMaxWindowBits(10);
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_max_window_bits=10"),
                answer("permessage-deflate; client_max_window_bits", asking));
        // Never above the client's own value ...
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_max_window_bits=9"),
                answer("permessage-deflate; client_max_window_bits=9", asking));
        // ... and never when the client did not offer it: it could not honour it.
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"),
                answer("permessage-deflate", asking));
    }

    @Test
    void rfc7692_7_1_2_2_theClientOffersToHonourAClientWindow() {
        assertEquals("permessage-deflate; client_max_window_bits", PerMessageDeflate.clientOffer().toHeaderValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "permessage-deflate; unknown_parameter",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; client_no_context_takeover=true",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; client_max_window_bits=7",
        "permessage-deflate; client_max_window_bits=08",
        "permessage-deflate; client_max_window_bits=abc",
    })
    void rfc7692_7_1_aMalformedOfferIsDeclinedNotFatal(String offer) {
        assertEquals(Optional.empty(), answer(offer, SHARED), offer);
        // ... and a good offer after it is still taken.
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"),
                answer(offer + ", permessage-deflate", SHARED), offer);
    }

    @Test
    void otherExtensionsAndADisabledServerGetNothing() {
        assertEquals(Optional.empty(), answer("x-webkit-deflate-frame", SHARED));
        assertEquals(Optional.empty(), answer("permessage-deflate", DeflateConfig.disabled()));
    }

    @Test
    void rfc7692_5_theAnswerGoesInThe101AndTheConnectionAcceptsRsv1() {
        ConnectionConfig config = ConnectionConfig.builder().deflate(SHARED).build();
        ServerFixture fixture = ServerFixture.openOffering(config,
                "permessage-deflate; client_max_window_bits");
        assertTrue(fixture.response.contains("\r\nSec-WebSocket-Extensions: permessage-deflate; "
                + "server_no_context_takeover\r\n"), fixture.response);
        ServerFixture without = ServerFixture.openOffering(ConnectionConfig.builder()
                .deflate(DeflateConfig.disabled()).build(), "permessage-deflate");
        assertFalse(without.response.contains("Sec-WebSocket-Extensions"), without.response);
    }
}
