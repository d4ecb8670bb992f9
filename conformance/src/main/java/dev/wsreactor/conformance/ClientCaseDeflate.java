package dev.wsreactor.conformance;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import dev.wsreactor.protocol.handshake.ExtensionOffer;
import dev.wsreactor.protocol.handshake.ExtensionParameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The client mode's side of groups 12 and 13: what the harness, as the server, accepts of a client's
 * permessage-deflate offers in each case, as Autobahn's fuzzingserver does ({@code accept1} to {@code accept7} of
 * its {@code case12_x_x.py}). 12.x and 13.1 accept the first offer as it is; 13.2 asks the client for
 * {@code client_no_context_takeover}, 13.3 and 13.4 for {@code client_max_window_bits} of 9 and 15, 13.5 and 13.6
 * for both; 13.7 tries 13.5's, then 13.2's, then 13.1's. An ask the client's offer does not allow (no
 * {@code client_no_context_takeover}, no {@code client_max_window_bits} in it) passes that offer over, so a client
 * offering neither gets no compression there (UNIMPLEMENTED). Where Autobahn asks for a window of 8 bits this asks
 * for 9, as this harness's own offers do: zlib cannot compress with a window of 8.
 */
final class ClientCaseDeflate {

    /**
     * One way to accept.
     *
     * @param noContextTakeover whether the answer asks for {@code client_no_context_takeover}
     * @param windowBits the {@code client_max_window_bits} the answer asks for, or 0 for none
     */
    private record Ask(boolean noContextTakeover, int windowBits) {
    }

    private static final Ask AS_OFFERED = new Ask(false, 0);

    /** 13.1 to 13.7, each the asks tried in order. */
    private static final List<List<Ask>> GROUP_13 = List.of(
            List.of(AS_OFFERED),
            List.of(new Ask(true, 0)),
            List.of(new Ask(false, 9)),
            List.of(new Ask(false, 15)),
            List.of(new Ask(true, 9)),
            List.of(new Ask(true, 15)),
            List.of(new Ask(true, 9), new Ask(true, 0), AS_OFFERED));

    private ClientCaseDeflate() {
    }

    /** The answer to the client's offers in the case {@code caseId} of group 12 or 13: one element, or none. */
    static List<ExtensionOffer> accept(String caseId, List<ExtensionOffer> offers) {
        String[] numbers = caseId.split("\\.");
        List<Ask> asks = numbers[0].equals("13") ? GROUP_13.get(Integer.parseInt(numbers[1]) - 1)
                : List.of(AS_OFFERED);
        for (Ask ask : asks) {
            for (ExtensionOffer offer : offers) {
                if (acceptable(offer, ask)) {
                    return List.of(answer(offer, ask));
                }
            }
        }
        return List.of();
    }

    private static boolean acceptable(ExtensionOffer offer, Ask ask) {
        if (!offer.name().equalsIgnoreCase(PerMessageDeflate.NAME)
                || PerMessageDeflate.negotiate(List.of(offer), DeflateConfig.defaults()).isEmpty()) {
            return false; // another extension, or an offer RFC 7692 §7.1 declines
        }
        return (!ask.noContextTakeover() || offer.has("client_no_context_takeover"))
                && (ask.windowBits() == 0 || offer.has("client_max_window_bits"));
    }

    /** What the client asked of us, echoed, and what this ask asks of it (§7.1.2.2: no more than it offered). */
    private static ExtensionOffer answer(ExtensionOffer offer, Ask ask) {
        List<ExtensionParameter> answer = new ArrayList<>();
        if (offer.has("server_no_context_takeover")) {
            answer.add(new ExtensionParameter("server_no_context_takeover", null));
        }
        if (offer.parameter("server_max_window_bits") != null) {
            answer.add(new ExtensionParameter("server_max_window_bits", offer.parameter("server_max_window_bits")));
        }
        if (ask.noContextTakeover()) {
            answer.add(new ExtensionParameter("client_no_context_takeover", null));
        }
        if (ask.windowBits() != 0) {
            String offered = offer.parameter("client_max_window_bits");
            int bits = offered == null ? ask.windowBits() : Math.min(ask.windowBits(), Integer.parseInt(offered));
            answer.add(new ExtensionParameter("client_max_window_bits", Integer.toString(bits)));
        }
        return new ExtensionOffer(PerMessageDeflate.NAME, answer);
    }
}
