package dev.wsreactor.protocol;

import java.util.zip.Deflater;

/**
 * The settings for permessage-deflate (RFC 7692).
 *
 * @param enabled whether to accept the extension when a client offers it (a client: whether to offer it)
 * @param sharedCompressor one compressor for every connection, reset per message, which means always answering
 *     {@code server_no_context_takeover}; otherwise each connection gets its own compressor and keeps its context
 *     when the client allows it (better ratios, far more memory: see the README's figures)
 * @param level the zlib compression level, 1 (fast) to 9 (small)
 * @param threshold messages shorter than this many bytes are sent uncompressed (§6: RSV1 is per message)
 * @param clientMaxWindowBits a server asks clients that offer {@code client_max_window_bits} to compress with at
 *     most this window (§7.1.2.2), 8 to 15; 15 asks nothing. It saves the clients' memory, not ours: the JDK's
 *     inflater keeps a 32 KiB window whatever the sender uses
 */
public record DeflateConfig(boolean enabled, boolean sharedCompressor, int level, int threshold,
        int clientMaxWindowBits) {

    /** RSV1, the bit that marks a compressed message (RFC 7692 §6), as the 3-bit RSV field holds it. */
    public static final int RSV1 = 0b100;

    /**
     * Checks the settings.
     *
     * @param enabled whether to accept (a client: offer) the extension
     * @param sharedCompressor one compressor for every connection, reset per message
     * @param level the zlib compression level, 1 (fast) to 9 (small)
     * @param threshold messages shorter than this many bytes are sent uncompressed
     * @param clientMaxWindowBits the window clients are asked to compress with, 8 to 15 bits
     * @throws IllegalArgumentException if the level is not 1 to 9, the threshold is negative or the window bits are not
     *     8 to 15
     */
    public DeflateConfig {
        if (level < Deflater.BEST_SPEED || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("compression level must be 1 to 9, got " + level);
        }
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must not be negative");
        }
        if (clientMaxWindowBits < MessageDeflater.MIN_WINDOW_BITS
                || clientMaxWindowBits > MessageDeflater.MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("client window bits must be 8 to 15, got " + clientMaxWindowBits);
        }
    }

    /**
     * Settings that ask nothing of the client's window.
     *
     * @param enabled whether to accept (a client: offer) the extension
     * @param sharedCompressor one compressor for every connection, reset per message
     * @param level the zlib compression level, 1 (fast) to 9 (small)
     * @param threshold messages shorter than this many bytes are sent uncompressed
     */
    public DeflateConfig(boolean enabled, boolean sharedCompressor, int level, int threshold) {
        this(enabled, sharedCompressor, level, threshold, MessageDeflater.MAX_WINDOW_BITS);
    }

    /** {@return on, with the shared compressor, level 6, messages under 256 bytes uncompressed} */
    public static DeflateConfig defaults() {
        return new DeflateConfig(true, true, 6, 256);
    }

    /** {@return permessage-deflate off: neither accepted nor offered} */
    public static DeflateConfig disabled() {
        return new DeflateConfig(false, true, 6, 256);
    }

    /**
     * {@return the same settings, asking clients for at most this window (§7.1.2.2)}
     *
     * @param bits the window, 8 to 15 bits
     */
    public DeflateConfig withClientMaxWindowBits(int bits) {
        return new DeflateConfig(enabled, sharedCompressor, level, threshold, bits);
    }
}
