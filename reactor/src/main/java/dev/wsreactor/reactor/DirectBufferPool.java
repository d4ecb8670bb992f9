package dev.wsreactor.reactor;

import dev.wsreactor.protocol.BufferPool;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The reactor's pool of direct buffers for outgoing bytes, and for messages put together across reads. Direct, so
 * a socket write copies nothing more; pooled, because allocating and freeing direct memory per message is slow
 * and fragments native memory.
 *
 * <p>Ownership: {@link #acquire()} hands a buffer to one connection's output queue, which gives it back with
 * {@link #release} as soon as its bytes are written. At most {@code maxIdle} free buffers are kept; beyond that a
 * released buffer is left to the garbage collector, so a burst does not pin memory forever.
 *
 * <p>Message buffers ({@link #acquire(int)}) come in sizes that double from twice the output buffer size up to
 * {@link #LARGEST_POOLED} bytes, each size keeping at most {@link #IDLE_BYTES_PER_SIZE} bytes of free buffers; a
 * larger message gets a heap buffer of its own, left to the collector.
 *
 * <p>The TLS layer pools its ciphertext buffers with one of these too, made of heap buffers: the JDK's TLS engine
 * works faster on heap arrays.
 *
 * <p>Not thread-safe: only the reactor thread touches it, which is why it needs no lock.
 */
final class DirectBufferPool implements BufferPool {

    /** The largest message buffer kept for reuse. */
    static final int LARGEST_POOLED = 1 << 20;
    /** The free bytes kept of each message buffer size. */
    static final int IDLE_BYTES_PER_SIZE = 1 << 20;

    private final int bufferSize;
    private final int maxIdle;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final List<ArrayDeque<ByteBuffer>> bySize = new ArrayList<>(); // [i]: free ones of bufferSize << (i + 1) bytes
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
    public ByteBuffer acquire(int minCapacity) {
        if (minCapacity <= bufferSize) {
            return acquire();
        }
        int size = sizeClass(minCapacity);
        if (size < 0) {
            acquired++;
            return ByteBuffer.allocate(minCapacity); // beyond the pooled sizes: rare, and the collector's
        }
        ArrayDeque<ByteBuffer> sized = sized(size);
        acquired++;
        ByteBuffer buffer = sized.pollLast();
        if (buffer == null) {
            allocated++;
            int capacity = bufferSize << (size + 1);
            return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        }
        return buffer.clear();
    }

    @Override
    public void release(ByteBuffer buffer) {
        acquired--;
        int capacity = buffer.capacity();
        if (capacity == bufferSize) {
            if (free.size() < maxIdle) {
                free.addLast(buffer);
            }
            return;
        }
        int size = sizeClass(capacity);
        if (size >= 0 && bufferSize << (size + 1) == capacity && buffer.isDirect() == direct) {
            ArrayDeque<ByteBuffer> sized = sized(size);
            if ((long) (sized.size() + 1) * capacity <= IDLE_BYTES_PER_SIZE) {
                sized.addLast(buffer);
            }
        }
    }

    /** The index of the smallest message buffer size that holds {@code bytes}, or -1 past the largest pooled. */
    private int sizeClass(int bytes) {
        int size = 0;
        for (long capacity = (long) bufferSize << 1; capacity < bytes; capacity <<= 1) {
            size++;
        }
        return (long) bufferSize << (size + 1) <= LARGEST_POOLED ? size : -1;
    }

    private ArrayDeque<ByteBuffer> sized(int size) {
        while (bySize.size() <= size) {
            bySize.add(new ArrayDeque<>());
        }
        return bySize.get(size);
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
