package dev.wsreactor.protocol.handshake;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The server's opening handshake settings. Immutable; made with {@link #builder()}, whose defaults are
 * {@link #defaults()}.
 *
 * <ul>
 *   <li>{@link #maxHeadBytes()}: the largest request head accepted; beyond it the answer is 431. Default
 *       {@value #DEFAULT_MAX_HEAD_BYTES}.
 *   <li>{@link #subprotocols()}: the subprotocols the server speaks, most preferred first (§4.2.2 step 5.4
 *       /subprotocol/). Default none.
 *   <li>{@link #policy()}: the application's check of each valid request, e.g. of its Origin. Default: accept all.
 *   <li>{@link #extensions()}: chooses which offered extensions to accept, in the response's order. Default
 *       {@link #NO_EXTENSIONS}. A {@code ConnectionConfig} sets it from its deflate settings.
 * </ul>
 */
public final class ServerHandshakeConfig {

    public static final int DEFAULT_MAX_HEAD_BYTES = 8192;

    /** The default extension negotiator: accepts no extension. */
    public static final Function<List<ExtensionOffer>, List<ExtensionOffer>> NO_EXTENSIONS = offers -> List.of();

    private static final ServerHandshakeConfig DEFAULTS = builder().build();

    private final int maxHeadBytes;
    private final List<String> subprotocols;
    private final HandshakePolicy policy;
    private final Function<List<ExtensionOffer>, List<ExtensionOffer>> extensions;

    private ServerHandshakeConfig(Builder builder) {
        this.maxHeadBytes = builder.maxHeadBytes;
        this.subprotocols = builder.subprotocols;
        this.policy = builder.policy;
        this.extensions = builder.extensions;
    }

    public static ServerHandshakeConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder().maxHeadBytes(maxHeadBytes).subprotocols(subprotocols).policy(policy)
                .extensions(extensions);
    }

    public int maxHeadBytes() {
        return maxHeadBytes;
    }

    public List<String> subprotocols() {
        return subprotocols;
    }

    public HandshakePolicy policy() {
        return policy;
    }

    public Function<List<ExtensionOffer>, List<ExtensionOffer>> extensions() {
        return extensions;
    }

    /** Named settings, each independent of the others; {@link #build()} checks them. */
    public static final class Builder {

        private int maxHeadBytes = DEFAULT_MAX_HEAD_BYTES;
        private List<String> subprotocols = List.of();
        private HandshakePolicy policy = HandshakePolicy.ACCEPT_ALL;
        private Function<List<ExtensionOffer>, List<ExtensionOffer>> extensions = NO_EXTENSIONS;

        private Builder() {
        }

        public Builder maxHeadBytes(int bytes) {
            this.maxHeadBytes = bytes;
            return this;
        }

        public Builder subprotocols(List<String> preferenceOrder) {
            this.subprotocols = List.copyOf(preferenceOrder);
            return this;
        }

        public Builder policy(HandshakePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder extensions(Function<List<ExtensionOffer>, List<ExtensionOffer>> negotiator) {
            this.extensions = Objects.requireNonNull(negotiator, "negotiator");
            return this;
        }

        public ServerHandshakeConfig build() {
            if (maxHeadBytes <= 0) {
                throw new IllegalArgumentException("maxHeadBytes must be positive, got " + maxHeadBytes);
            }
            return new ServerHandshakeConfig(this);
        }
    }
}
