package dev.wsreactor.reactor;

import dev.wsreactor.protocol.BufferPool;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The reactor's pool of direct buffers for outgoing bytes. Direct, so a socket write copies nothing more; pooled,
 * because allocating and freeing direct memory per message is slow and fragments native memory.
 *
 * <p>Ownership: {@link #acquire()} hands a buffer to one connection's output queue, which gives it back with
 * {@link #release} as soon as its bytes are written. At most {@code maxIdle} free buffers are kept; beyond that a
 * released buffer is left to the garbage collector, so a burst does not pin memory forever.
 *
 * <p>The TLS layer pools its ciphertext buffers with one of these too, made of heap buffers: the JDK's TLS engine
 * works faster on heap arrays.
 *
 * <p>Not thread-safe: only the reactor thread touches it, which is why it needs no lock.
 */
final class DirectBufferPool implements BufferPool {

    private final int bufferSize;
    private final int maxIdle;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private long acquired;
    private long allocated;

    private final boolean direct;

    DirectBufferPool(int bufferSize, int maxIdle) {
        this(bufferSize, maxIdle, true);
    }

    DirectBufferPool(int bufferSize, int maxIdle, boolean direct) {
        this.direct = direct;
        if (bufferSize < 256) {
            throw new IllegalArgumentException("buffer size too small to hold a control frame: " + bufferSize);
        }
        this.bufferSize = bufferSize;
        this.maxIdle = maxIdle;
    }

    @Override
    public int bufferSize() {
        return bufferSize;
    }

    @Override
    public ByteBuffer acquire() {
        acquired++;
        ByteBuffer buffer = free.pollLast(); // the most recently used one is the likeliest to be in cache
        if (buffer == null) {
            allocated++;
            return direct ? ByteBuffer.allocateDirect(bufferSize) : ByteBuffer.allocate(bufferSize);
        }
        return buffer.clear();
    }

    @Override
    public void release(ByteBuffer buffer) {
        acquired--;
        if (free.size() < maxIdle) {
            free.addLast(buffer);
        }
    }

    /** Buffers currently owned by connections. */
    long inUse() {
        return acquired;
    }

    /** Buffers held free for reuse. */
    int idle() {
        return free.size();
    }

    /** Direct buffers allocated since the start (a steady count means the hot path does not allocate). */
    long allocatedTotal() {
        return allocated;
    }
}
