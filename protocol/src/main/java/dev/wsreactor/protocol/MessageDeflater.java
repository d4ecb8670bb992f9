package dev.wsreactor.protocol;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Compresses whole messages for permessage-deflate (RFC 7692 §7.2.1): raw DEFLATE, flushed with SYNC_FLUSH, the
 * trailing {@code 00 00 ff ff} removed.
 *
 * <p>One instance may serve many connections if it is reset after every message (no context takeover): the
 * reactor keeps one for all its connections, which is safe because one thread uses it, one message at a time.
 *
 * <p>Memory: zlib's compressor state is a few hundred KiB of native memory, which is why sharing one matters.
 * The output scratch array grows to the largest compressed message and is reused.
 */
public final class MessageDeflater {

    private static final int TAIL_LENGTH = 4;

    private final Deflater deflater;
    private byte[] scratch = new byte[4096];

    public MessageDeflater(int level) {
        this.deflater = new Deflater(level, true);
    }

    /**
     * Compresses the message's remaining bytes (consumed) and returns the compressed bytes, without the tail, as a
     * view of this deflater's scratch array: valid until the next call.
     *
     * @param resetAfter forget the context after this message (no context takeover)
     */
    public ByteBuffer compress(ByteBuffer message, boolean resetAfter) {
        deflater.setInput(message);
        int length = 0;
        while (true) {
            if (scratch.length - length < 64) {
                scratch = java.util.Arrays.copyOf(scratch, scratch.length * 2);
            }
            int n = deflater.deflate(scratch, length, scratch.length - length, Deflater.SYNC_FLUSH);
            length += n;
            // SYNC_FLUSH is complete when the output did not fill the space offered (java.util.zip contract).
            if (n < scratch.length - (length - n) && deflater.needsInput()) {
                break;
            }
        }
        if (resetAfter) {
            deflater.reset();
        }
        if (length < TAIL_LENGTH) {
            // Nothing was flushed (an empty message): §7.2.3.6 sends it as a single 0x00 octet.
            scratch[0] = 0;
            return ByteBuffer.wrap(scratch, 0, 1);
        }
        // §7.2.1: the flush ends with the empty stored block 00 00 ff ff, which is not sent.
        return ByteBuffer.wrap(scratch, 0, length - TAIL_LENGTH);
    }

    /** Frees the native memory now rather than when the garbage collector gets to it. */
    public void close() {
        deflater.end();
    }
}
