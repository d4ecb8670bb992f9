package dev.wsreactor.protocol;

import java.util.zip.Deflater;

/**
 * The server's settings for permessage-deflate (RFC 7692).
 *
 * @param enabled whether to accept the extension when a client offers it
 * @param sharedCompressor one compressor for every connection, reset per message, which means always answering
 *     {@code server_no_context_takeover}; otherwise each connection gets its own compressor and keeps its context
 *     when the client allows it (better ratios, far more memory: see the README's figures)
 * @param level the zlib compression level, 1 (fast) to 9 (small)
 * @param threshold messages shorter than this many bytes are sent uncompressed (§6: RSV1 is per message)
 */
public record DeflateConfig(boolean enabled, boolean sharedCompressor, int level, int threshold) {

    /** RSV1, the bit that marks a compressed message (RFC 7692 §6), as the 3-bit RSV field holds it. */
    public static final int RSV1 = 0b100;

    public DeflateConfig {
        if (level < Deflater.BEST_SPEED || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("compression level must be 1 to 9, got " + level);
        }
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must not be negative");
        }
    }

    /** On, with the shared compressor, level 6, messages under 256 bytes uncompressed. */
    public static DeflateConfig defaults() {
        return new DeflateConfig(true, true, 6, 256);
    }

    public static DeflateConfig disabled() {
        return new DeflateConfig(false, true, 6, 256);
    }
}
