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

    /** The default for {@link #maxHeadBytes()}: 8 KiB. */
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

    /** {@return every setting at its default} */
    public static ServerHandshakeConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a builder with every setting at its default} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these settings, to change some of them} */
    public Builder toBuilder() {
        return new Builder().maxHeadBytes(maxHeadBytes).subprotocols(subprotocols).policy(policy)
                .extensions(extensions);
    }

    /** {@return the longest request head accepted, in bytes (431 above it)} */
    public int maxHeadBytes() {
        return maxHeadBytes;
    }

    /** {@return the subprotocols we speak, in our preference order} */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** {@return the application's check of each valid request} */
    public HandshakePolicy policy() {
        return policy;
    }

    /** {@return what chooses the offered extensions to accept, in the response's order} */
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

        /**
         * Sets the longest request head accepted.
         *
         * @param bytes the limit, positive
         * @return this builder
         */
        public Builder maxHeadBytes(int bytes) {
            this.maxHeadBytes = bytes;
            return this;
        }

        /**
         * Sets the subprotocols we speak.
         *
         * @param preferenceOrder the subprotocols, ours first where a client offers several
         * @return this builder
         */
        public Builder subprotocols(List<String> preferenceOrder) {
            this.subprotocols = List.copyOf(preferenceOrder);
            return this;
        }

        /**
         * Sets the application's check of each valid request.
         *
         * @param policy the check
         * @return this builder
         */
        public Builder policy(HandshakePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets what chooses the offered extensions to accept.
         *
         * @param negotiator from the offers, in order, to the extensions accepted, in the response's order
         * @return this builder
         */
        public Builder extensions(Function<List<ExtensionOffer>, List<ExtensionOffer>> negotiator) {
            this.extensions = Objects.requireNonNull(negotiator, "negotiator");
            return this;
        }

        /**
         * Checks the settings and makes the config.
         *
         * @return the config
         * @throws IllegalArgumentException if the head limit is not positive
         */
        public ServerHandshakeConfig build() {
            if (maxHeadBytes <= 0) {
                throw new IllegalArgumentException("maxHeadBytes must be positive, got " + maxHeadBytes);
            }
            return new ServerHandshakeConfig(this);
        }
    }
}
