package dev.wsreactor.protocol;

import java.nio.ByteBuffer;

/**
 * Collects the payload of one message whose bytes did not arrive in one piece (several frames, or a frame split
 * across reads). A message that arrives whole is delivered straight from the input buffer and never copied here.
 *
 * <p>Memory: the buffer grows by doubling up to the message size limit (checked by the decoder before any
 * payload is read) and is dropped after each message, so an idle connection keeps nothing.
 */
final class MessageAssembler {

    private static final int INITIAL_CAPACITY = 256;

    private ByteBuffer buffer;

    /** Appends the chunk's remaining bytes; {@code expectedMore} sizes the first allocation when known. */
    void append(ByteBuffer chunk, long expectedMore) {
        int needed = chunk.remaining();
        if (buffer == null) {
            long first = Math.max(INITIAL_CAPACITY, Math.min(Integer.MAX_VALUE - 8, needed + Math.max(0, expectedMore)));
            buffer = ByteBuffer.allocate((int) first);
        } else if (buffer.remaining() < needed) {
            long grown = Math.max((long) buffer.capacity() * 2, (long) buffer.position() + needed);
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, grown));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        buffer.put(chunk);
    }

    boolean isEmpty() {
        return buffer == null || buffer.position() == 0;
    }

    /** The collected bytes, ready to read; valid until {@link #reset()}. */
    ByteBuffer message() {
        if (buffer == null) {
            return ByteBuffer.allocate(0);
        }
        return buffer.flip();
    }

    /** Forgets the message and lets its memory go. */
    void reset() {
        buffer = null;
    }
}
