package dev.wsreactor.protocol.internal;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.MessageDeflater;
import dev.wsreactor.protocol.Role;
import dev.wsreactor.protocol.handshake.ExtensionOffer;
import dev.wsreactor.protocol.handshake.ExtensionParameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Negotiation of permessage-deflate (RFC 7692 §5 and §7.1): which of the client's offers the server accepts, and
 * with which parameters it answers; and the offer a client makes.
 *
 * <p>Rules, in the order they are applied to each offer:
 * <ol>
 *   <li>An offer with an unknown parameter, a repeated parameter, or a bad value is declined (§7.1: "MUST decline
 *       an extension negotiation offer" it cannot parse), never the whole handshake.</li>
 *   <li>The first offer left is accepted. The answer carries {@code server_no_context_takeover} if the client asked
 *       or the server uses its shared compressor; {@code client_no_context_takeover} if the client offered it;
 *       {@code server_max_window_bits} with the client's value if it named one (§7.1.2.1: the server then keeps
 *       every back-reference within that window, see {@link MessageDeflater}); and
 *       {@code client_max_window_bits} with a value only when the client offered the parameter and the settings
 *       ask for a window below 15 (§7.1.2.2 forbids it when not offered; our inflater takes any window).</li>
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

        /** The window, in bits, that this side's compressor must keep its back-references within (§7.1.2). */
        public int windowBitsOf(Role sender) {
            String bits = response.parameter(sender == Role.SERVER ? SERVER_MAX_WINDOW_BITS : CLIENT_MAX_WINDOW_BITS);
            return isWindowBits(bits) ? Integer.parseInt(bits) : MessageDeflater.MAX_WINDOW_BITS;
        }
    }

    /**
     * The offer a client makes: permessage-deflate, announcing that it honours a {@code client_max_window_bits}
     * answer (§7.1.2.2), which it does with {@link MessageDeflater}'s small-window compression.
     */
    public static ExtensionOffer clientOffer() {
        return new ExtensionOffer(NAME, List.of(new ExtensionParameter(CLIENT_MAX_WINDOW_BITS, null)));
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
            ExtensionParameter clientBits = parameter(offer, CLIENT_MAX_WINDOW_BITS);
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
                answer.add(new ExtensionParameter(SERVER_MAX_WINDOW_BITS, serverBits.value()));
            }
            if (clientBits != null && config.clientMaxWindowBits() < MessageDeflater.MAX_WINDOW_BITS) {
                int offered = clientBits.value() == null ? MessageDeflater.MAX_WINDOW_BITS
                        : Integer.parseInt(clientBits.value());
                // §7.1.2.2: no larger than the value the client offered, if it offered one.
                String asked = Integer.toString(Math.min(offered, config.clientMaxWindowBits()));
                answer.add(new ExtensionParameter(CLIENT_MAX_WINDOW_BITS, asked));
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
        if (value == null || value.isEmpty() || value.length() > 2 || value.charAt(0) == '0') {
            return false;
        }
        int bits = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            bits = bits * 10 + (c - '0');
        }
        return bits >= MessageDeflater.MIN_WINDOW_BITS && bits <= MessageDeflater.MAX_WINDOW_BITS;
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
