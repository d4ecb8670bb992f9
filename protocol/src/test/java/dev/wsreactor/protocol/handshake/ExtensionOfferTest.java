package dev.wsreactor.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.internal.handshake.ServerHandshake;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 §9.1: the Sec-WebSocket-Extensions grammar, as the permessage-deflate offers of RFC 7692 use it. */
class ExtensionOfferTest {

    private static ExtensionParameter p(String name, String value) {
        return new ExtensionParameter(name, value);
    }

    private static ExtensionOffer offer(String name, ExtensionParameter... parameters) {
        return new ExtensionOffer(name, List.of(parameters));
    }

    @Test
    void section9_1_twoOffersOfTheSameExtensionAsFallbacks() {
        // RFC 7692 §5.1 style: the same extension offered twice with different parameters, most preferred first.
        List<ExtensionOffer> offers = ExtensionOffer.parseAll(
                List.of("permessage-deflate; client_max_window_bits, permessage-deflate; server_no_context_takeover"));
        assertEquals(List.of(
                offer("permessage-deflate", p("client_max_window_bits", null)),
                offer("permessage-deflate", p("server_no_context_takeover", null))), offers);
    }

    @Test
    void section9_1_parametersWithAndWithoutValues() {
        ExtensionOffer offer = ExtensionOffer.parseAll(
                List.of("permessage-deflate; client_max_window_bits; server_max_window_bits=10; client_no_context_takeover"))
                .get(0);
        assertEquals(offer("permessage-deflate", p("client_max_window_bits", null), p("server_max_window_bits", "10"),
                p("client_no_context_takeover", null)), offer);
        assertTrue(offer.has("client_max_window_bits"));
        assertNull(offer.parameter("client_max_window_bits"), "a parameter without a value");
        assertEquals("10", offer.parameter("SERVER_MAX_WINDOW_BITS"), "parameter names compare case-insensitively");
        assertFalse(offer.has("server_no_context_takeover"));
        assertNull(offer.parameter("server_no_context_takeover"));
    }

    @Test
    void section9_1_quotedValuesAreUnquoted() {
        // §9.1: "extension-param = token [ "=" (token | quoted-string) ]", and a quoted value must still be a token.
        assertEquals(List.of(offer("permessage-deflate", p("client_max_window_bits", "15"))),
                ExtensionOffer.parseAll(List.of("permessage-deflate; client_max_window_bits=\"15\"")));
        // A quoted-pair inside the quotes stands for the character itself (RFC 9110 §5.6.4).
        assertEquals(List.of(offer("x", p("a", "bc"))), ExtensionOffer.parseAll(List.of("x; a=\"b\\c\"")));
    }

    @Test
    void section9_1_quotedValueThatIsNotATokenDeclinesOnlyThatOffer() {
        // "When using the quoted-string syntax variant, the value after quoted-string unescaping MUST conform to
        // the 'token' ABNF." The comma inside the quotes does not split the list.
        assertEquals(List.of(offer("deflate-frame")),
                ExtensionOffer.parseAll(List.of("x-foo; a=\"1, 2\", deflate-frame")));
        assertEquals(List.of(offer("b")), ExtensionOffer.parseAll(List.of("a; v=\"\", b")));
        assertEquals(List.of(offer("b")), ExtensionOffer.parseAll(List.of("a; v=\"x\\\"y\", b")));
    }

    @Test
    void section9_1_whitespaceAroundSeparatorsIsIgnored() {
        List<ExtensionOffer> offers = ExtensionOffer.parseAll(
                List.of("  permessage-deflate ;client_max_window_bits ;  server_max_window_bits = 12 \t,\tfoo  "));
        assertEquals(List.of(
                offer("permessage-deflate", p("client_max_window_bits", null), p("server_max_window_bits", "12")),
                offer("foo")), offers);
    }

    @Test
    void section9_1_severalHeaderLinesFormOneList() {
        // §9.1: "Note that like other HTTP header fields, this header field MAY be split or combined across
        // multiple lines. Ergo, the following are equivalent".
        List<ExtensionOffer> split = ExtensionOffer.parseAll(List.of("foo", "bar; baz=2"));
        List<ExtensionOffer> combined = ExtensionOffer.parseAll(List.of("foo, bar; baz=2"));
        assertEquals(List.of(offer("foo"), offer("bar", p("baz", "2"))), split);
        assertEquals(split, combined);
    }

    @Test
    void section9_1_severalHeaderLinesThroughTheServer() {
        ServerHandshake.Outcome outcome = new ServerHandshake(ServerHandshakeConfig.defaults()).feed(Requests.valid()
                .add("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")
                .add("Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover").buffer());
        ServerHandshake.Accepted accepted = (ServerHandshake.Accepted) outcome;
        assertEquals(List.of(
                offer("permessage-deflate", p("client_max_window_bits", null)),
                offer("permessage-deflate", p("server_no_context_takeover", null))), accepted.extensionOffers());
    }

    @Test
    void rfc9110_emptyListElementsAreIgnored() {
        // RFC 9110 §5.6.1: a recipient MUST accept and ignore empty list elements.
        assertEquals(List.of(offer("foo"), offer("bar")), ExtensionOffer.parseAll(List.of(", foo,, ,bar,", "", " ")));
        assertEquals(List.of(), ExtensionOffer.parseAll(List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "per message", "x@y", "foo; a b", "foo; =1", "foo; a=", "foo; a=1=2", "foo;", "; a", "foo; a=\"b c\"", "\"foo\""})
    void section9_1_malformedOfferIsDeclinedAndTheOthersKept(String malformed) {
        // The code's contract: a malformed offer is skipped, never fatal, and its neighbours still count.
        assertEquals(List.of(offer("before"), offer("after", p("k", "v"))),
                ExtensionOffer.parseAll(List.of("before", malformed, "after; k=v")));
    }

    @Test
    void section9_1_toHeaderValueWritesTheGrammar() {
        ExtensionOffer offer = offer("permessage-deflate", p("server_no_context_takeover", null), p("client_max_window_bits", "10"));
        assertEquals("permessage-deflate; server_no_context_takeover; client_max_window_bits=10", offer.toHeaderValue());
        assertEquals("foo", offer("foo").toHeaderValue());
        assertEquals(List.of(offer), ExtensionOffer.parseAll(List.of(offer.toHeaderValue())));
    }

    @Test
    void parametersAreCopied() {
        java.util.ArrayList<ExtensionParameter> parameters = new java.util.ArrayList<>(List.of(p("a", null)));
        ExtensionOffer offer = new ExtensionOffer("x", parameters);
        parameters.add(p("b", "1"));
        assertEquals(List.of(p("a", null)), offer.parameters());
    }
}
