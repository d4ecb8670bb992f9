package dev.wsreactor.protocol;

import java.nio.ByteBuffer;

/**
 * Collects the payload of one message whose bytes did not arrive in one piece (several frames, or a frame split
 * across reads). A message that arrives whole is delivered straight from the input buffer and never copied here.
 *
 * <p>Memory: the buffer comes from the connection's {@link BufferPool} ({@link BufferPool#acquire(int)}), sized
 * from the frame's header when the message is one frame, and grows by doubling up to the message size limit
 * (checked by the decoder before any payload is read). It goes back to the pool after each message, or to whoever
 * {@link #take() takes} it, so an idle connection keeps nothing and a message allocates nothing.
 */
final class MessageAssembler {

    private final BufferPool pool;
    private ByteBuffer buffer; // owned while collecting: released by reset(), handed over by take()

    MessageAssembler(BufferPool pool) {
        this.pool = pool;
    }

    /** Appends the chunk's remaining bytes; {@code expectedMore} sizes the first buffer when known. */
    void append(ByteBuffer chunk, long expectedMore) {
        int needed = chunk.remaining();
        if (buffer == null) {
            buffer = pool.acquire((int) Math.min(Integer.MAX_VALUE - 8, needed + Math.max(0, expectedMore)));
        } else if (buffer.remaining() < needed) {
            long grown = Math.max((long) buffer.capacity() * 2, (long) buffer.position() + needed);
            ByteBuffer bigger = pool.acquire((int) Math.min(Integer.MAX_VALUE - 8, grown));
            bigger.put(buffer.flip());
            pool.release(buffer);
            buffer = bigger;
        }
        buffer.put(chunk);
    }

    boolean isEmpty() {
        return buffer == null || buffer.position() == 0;
    }

    /**
     * Hands the collected bytes over, ready to read (only when not {@link #isEmpty()}): the caller owns them now and
     * gives them back to the pool with {@link BufferPool#release}.
     */
    ByteBuffer take() {
        ByteBuffer message = buffer.flip();
        buffer = null;
        return message;
    }

    /** Forgets the message and gives its buffer back. */
    void reset() {
        if (buffer != null) {
            pool.release(buffer);
            buffer = null;
        }
    }
}
