package dev.wsreactor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsreactor.protocol.handshake.ExtensionOffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the client mode's server answers to each case's offers in groups 12 and 13, as Autobahn's does. */
class ClientCaseDeflateTest {

    private static String answer(String caseId, String offers) {
        List<ExtensionOffer> accepted = ClientCaseDeflate.accept(caseId, ExtensionOffer.parseAll(List.of(offers)));
        return accepted.isEmpty() ? "none" : accepted.get(0).toHeaderValue();
    }

    @Test
    void eachOfferOfGroup13GetsItsCasesAnswer() {
        List<String> expected = List.of(
                "permessage-deflate",
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                "permessage-deflate; server_max_window_bits=9; client_max_window_bits=9",
                "permessage-deflate; server_max_window_bits=15; client_max_window_bits=15",
                "permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_no_context_takeover;"
                        + " client_max_window_bits=9",
                "permessage-deflate; server_no_context_takeover; server_max_window_bits=15;"
                        + " client_no_context_takeover; client_max_window_bits=15",
                "permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_no_context_takeover;"
                        + " client_max_window_bits=9");
        for (int i = 0; i < 7; i++) {
            assertEquals(expected.get(i), answer("13." + (i + 1) + ".4", CompressionCases.GROUP_13_OFFERS.get(i)),
                    "13." + (i + 1));
        }
        assertEquals("permessage-deflate", answer("12.3.1", CompressionCases.GROUP_13_OFFERS.get(0)));
    }

    @Test
    void anAskTheOfferDoesNotAllowPassesItOver() {
        String windowOnly = "permessage-deflate; client_max_window_bits";
        assertEquals("none", answer("13.2.1", windowOnly), "no client_no_context_takeover offered");
        assertEquals("permessage-deflate; client_max_window_bits=9", answer("13.3.1", windowOnly));
        assertEquals("none", answer("13.4.1", "permessage-deflate"), "no client_max_window_bits offered");
        assertEquals("permessage-deflate", answer("13.7.1", windowOnly), "13.7 falls back to accepting as offered");
        assertEquals("permessage-deflate; client_max_window_bits=10",
                answer("13.4.1", "permessage-deflate; client_max_window_bits=10"), "no more than offered");
        assertEquals("none", answer("12.1.1", "permessage-deflate; bogus, x-webkit-deflate-frame"));
    }
}
