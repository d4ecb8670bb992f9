package dev.wsreactor.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses whole messages for permessage-deflate (RFC 7692 §7.2.1): raw DEFLATE, flushed with SYNC_FLUSH, the
 * trailing {@code 00 00 ff ff} removed.
 *
 * <p>One instance may serve many connections if it is reset after every message (no context takeover): the
 * reactor keeps one for all its connections, which is safe because one thread uses it, one message at a time.
 *
 * <p>A peer may limit the window to fewer than 15 bits ({@code server_max_window_bits} or
 * {@code client_max_window_bits}, §7.1.2), which the JDK's {@code Deflater} cannot be told. For such a peer the
 * message is compressed in segments of 2<sup>bits</sup> bytes, each ended with {@code FULL_FLUSH}: zlib promises
 * that nothing after a full flush refers to anything before it, so no back-reference reaches further than the
 * segment, which is no longer than the window. Nothing is carried from one message to the next either, so such
 * output is valid whatever the context-takeover agreement, and a shared instance can serve those peers too.
 *
 * <p>Memory: zlib's compressor state is a few hundred KiB of native memory, which is why sharing one matters.
 * The output scratch array grows to the largest compressed message and is reused.
 */
public final class MessageDeflater {

    /** The largest LZ77 window, in bits (RFC 7692 §7.1.2), and the one the JDK's {@code Deflater} always uses. */
    public static final int MAX_WINDOW_BITS = 15;
    /** The smallest window a peer may ask for (§7.1.2.1). */
    public static final int MIN_WINDOW_BITS = 8;

    private static final int TAIL_LENGTH = 4;

    private final Deflater deflater;
    private byte[] scratch = new byte[4096];
    private ByteBuffer view = ByteBuffer.wrap(scratch); // what compress returns: made again only when scratch grows
    private int length;
    private boolean holdsContext; // the last message was compressed without a reset after it

    /**
     * A deflater for raw DEFLATE at this level; {@link #close()} frees its native memory.
     *
     * @param level the zlib compression level, 1 (fast) to 9 (small)
     */
    public MessageDeflater(int level) {
        this.deflater = new Deflater(level, true);
    }

    /**
     * Compresses the message's remaining bytes (consumed) with the full 15-bit window.
     *
     * @param message the message; its remaining bytes are consumed
     * @param resetAfter forget the context after this message (no context takeover)
     * @return the compressed bytes, without the tail, as a view of this deflater's scratch array: valid until the next
     *     call
     */
    public ByteBuffer compress(ByteBuffer message, boolean resetAfter) {
        return compress(message, resetAfter, MAX_WINDOW_BITS);
    }

    /**
     * Compresses the message for a peer that accepts back-references of at most 2<sup>windowBits</sup> bytes; below 15
     * bits, in full-flushed segments (see the class comment).
     *
     * @param message the message; its remaining bytes are consumed
     * @param resetAfter forget the context after this message; irrelevant below 15 bits
     * @param windowBits the peer's window, 8 to 15 bits
     * @return the compressed bytes, without the tail, as a view of this deflater's scratch array: valid until the next
     *     call
     * @throws IllegalArgumentException if the window bits are not 8 to 15
     */
    public ByteBuffer compress(ByteBuffer message, boolean resetAfter, int windowBits) {
        if (windowBits < MIN_WINDOW_BITS || windowBits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("window bits must be 8 to 15, got " + windowBits);
        }
        length = 0;
        if (windowBits == MAX_WINDOW_BITS) {
            deflate(message, Deflater.SYNC_FLUSH);
            if (resetAfter) {
                deflater.reset();
            }
            holdsContext = !resetAfter;
        } else {
            if (holdsContext) {
                deflater.reset(); // an earlier message's context is within reach of the first segment
                holdsContext = false;
            }
            int segment = 1 << windowBits;
            int end = message.limit();
            do {
                message.limit(Math.min(end, message.position() + segment));
                deflate(message, Deflater.FULL_FLUSH);
                message.limit(end);
            } while (message.hasRemaining()); // after a full flush nothing is held: no reset needed
        }
        if (length < TAIL_LENGTH) {
            // Nothing was flushed (an empty message): §7.2.3.6 sends it as a single 0x00 octet.
            scratch[0] = 0;
            return view.clear().limit(1);
        }
        // §7.2.1: the flush ends with the empty stored block 00 00 ff ff, which is not sent.
        return view.clear().limit(length - TAIL_LENGTH);
    }

    /** Deflates the input's remaining bytes (consumed) into the scratch array after what is there, then flushes. */
    private void deflate(ByteBuffer input, int flush) {
        deflater.setInput(input);
        while (true) {
            if (scratch.length - length < 64) {
                scratch = Arrays.copyOf(scratch, scratch.length * 2);
                view = ByteBuffer.wrap(scratch);
            }
            int n = deflater.deflate(scratch, length, scratch.length - length, flush);
            length += n;
            // A flush is complete when the output did not fill the space offered (java.util.zip contract).
            if (n < scratch.length - (length - n) && deflater.needsInput()) {
                return;
            }
        }
    }

    /** Frees the native memory now rather than when the garbage collector gets to it. */
    public void close() {
        deflater.end();
    }
}
