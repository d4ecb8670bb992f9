package dev.wsreactor.protocol;

import dev.wsreactor.protocol.handshake.ExtensionOffer;
import dev.wsreactor.protocol.handshake.ExtensionParameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Negotiation of permessage-deflate (RFC 7692 §5 and §7.1): which of the client's offers the server accepts, and
 * with which parameters it answers.
 *
 * <p>Rules, in the order they are applied to each offer:
 * <ol>
 *   <li>An offer with an unknown parameter, a repeated parameter, or a bad value is declined (§7.1: "MUST decline
 *       an extension negotiation offer" it cannot parse), never the whole handshake.</li>
 *   <li>{@code server_max_window_bits} below 15 is declined: the JDK's {@code Deflater} always uses a 15-bit window,
 *       so the server could not honour it (§7.1.2.1).</li>
 *   <li>The first offer left is accepted. The answer carries {@code server_no_context_takeover} if the client asked
 *       or the server uses its shared compressor; {@code client_no_context_takeover} if the client offered it;
 *       {@code server_max_window_bits=15} if the client named 15. It never carries {@code client_max_window_bits}:
 *       our inflater takes any window, and §7.1.2.2 forbids it when not offered.</li>
 * </ol>
 */
public final class PerMessageDeflate {

    public static final String NAME = "permessage-deflate";

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    private PerMessageDeflate() {
    }

    /**
     * What was agreed.
     *
     * @param serverNoContextTakeover the server resets its compressor after each message
     * @param clientNoContextTakeover the client resets its compressor after each message, so may our inflater
     * @param response the extension as it goes in the server's {@code Sec-WebSocket-Extensions} header
     */
    public record Agreement(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
            ExtensionOffer response) {

        /** Reads an agreement back from the server's response element. */
        public static Agreement fromResponse(ExtensionOffer response) {
            return new Agreement(response.has(SERVER_NO_CONTEXT_TAKEOVER), response.has(CLIENT_NO_CONTEXT_TAKEOVER),
                    response);
        }
    }

    /** The first acceptable offer's agreement, or empty to go without compression. */
    public static Optional<Agreement> negotiate(List<ExtensionOffer> offers, DeflateConfig config) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        for (ExtensionOffer offer : offers) {
            if (!offer.name().equalsIgnoreCase(NAME) || !isWellFormed(offer)) {
                continue;
            }
            ExtensionParameter serverBits = parameter(offer, SERVER_MAX_WINDOW_BITS);
            if (serverBits != null && Integer.parseInt(serverBits.value()) < 15) {
                continue; // rule 2: we cannot compress with a smaller window
            }
            boolean serverNoContext = config.sharedCompressor() || parameter(offer, SERVER_NO_CONTEXT_TAKEOVER) != null;
            boolean clientNoContext = parameter(offer, CLIENT_NO_CONTEXT_TAKEOVER) != null;
            List<ExtensionParameter> answer = new ArrayList<>();
            if (serverNoContext) {
                answer.add(new ExtensionParameter(SERVER_NO_CONTEXT_TAKEOVER, null));
            }
            if (clientNoContext) {
                answer.add(new ExtensionParameter(CLIENT_NO_CONTEXT_TAKEOVER, null));
            }
            if (serverBits != null) {
                answer.add(new ExtensionParameter(SERVER_MAX_WINDOW_BITS, "15"));
            }
            return Optional.of(new Agreement(serverNoContext, clientNoContext, new ExtensionOffer(NAME, answer)));
        }
        return Optional.empty();
    }

    /** Rule 1: only the four parameters of §7.1, each at most once, with valid values. */
    static boolean isWellFormed(ExtensionOffer offer) {
        Set<String> seen = new HashSet<>();
        for (ExtensionParameter p : offer.parameters()) {
            String name = p.name().toLowerCase(java.util.Locale.ROOT);
            if (!seen.add(name)) {
                return false; // §7.1: a parameter appears at most once
            }
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER -> {
                    if (p.value() != null) {
                        return false; // §7.1.1: these take no value
                    }
                }
                case SERVER_MAX_WINDOW_BITS -> {
                    if (!isWindowBits(p.value())) {
                        return false; // §7.1.2.1: a value is required
                    }
                }
                case CLIENT_MAX_WINDOW_BITS -> {
                    if (p.value() != null && !isWindowBits(p.value())) {
                        return false; // §7.1.2.2: the value is optional
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /** §7.1.2: a decimal integer from 8 to 15, without leading zeros. */
    private static boolean isWindowBits(String value) {
        if (value == null || !value.matches("[1-9][0-9]?")) {
            return false;
        }
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15;
    }

    private static ExtensionParameter parameter(ExtensionOffer offer, String name) {
        for (ExtensionParameter p : offer.parameters()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        return null;
    }
}
