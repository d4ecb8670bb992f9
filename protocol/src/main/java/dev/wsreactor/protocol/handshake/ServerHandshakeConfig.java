package dev.wsreactor.protocol.handshake;

import java.util.List;
import java.util.function.Function;

/**
 * The server's opening handshake settings.
 *
 * @param maxHeadBytes the largest request head accepted; beyond it the answer is 431
 * @param subprotocols the subprotocols the server speaks, most preferred first (§4.2.2 step 5.4 /subprotocol/)
 * @param policy the application's check of each valid request, e.g. of its Origin
 * @param extensions chooses which offered extensions to accept, in the response's order; the default accepts none
 */
public record ServerHandshakeConfig(int maxHeadBytes, List<String> subprotocols, HandshakePolicy policy,
        Function<List<ExtensionOffer>, List<ExtensionOffer>> extensions) {

    public static final int DEFAULT_MAX_HEAD_BYTES = 8192;

    public ServerHandshakeConfig {
        subprotocols = List.copyOf(subprotocols);
        if (policy == null) {
            policy = HandshakePolicy.ACCEPT_ALL;
        }
        if (extensions == null) {
            extensions = offers -> List.of();
        }
    }

    public static ServerHandshakeConfig defaults() {
        return new ServerHandshakeConfig(DEFAULT_MAX_HEAD_BYTES, List.of(), HandshakePolicy.ACCEPT_ALL, null);
    }

    public ServerHandshakeConfig withMaxHeadBytes(int bytes) {
        return new ServerHandshakeConfig(bytes, subprotocols, policy, extensions);
    }

    public ServerHandshakeConfig withSubprotocols(List<String> preferenceOrder) {
        return new ServerHandshakeConfig(maxHeadBytes, preferenceOrder, policy, extensions);
    }

    public ServerHandshakeConfig withPolicy(HandshakePolicy newPolicy) {
        return new ServerHandshakeConfig(maxHeadBytes, subprotocols, newPolicy, extensions);
    }

    public ServerHandshakeConfig withExtensions(Function<List<ExtensionOffer>, List<ExtensionOffer>> negotiator) {
        return new ServerHandshakeConfig(maxHeadBytes, subprotocols, policy, negotiator);
    }
}
