package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.BufferPool;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A pool of direct buffers that are reused, as the reactor's own pool does (that one is internal to the reactor
 * module). With it, a benchmark's allocation figure shows what the protocol allocates, not the pool; the load
 * generator's loops use it too.
 */
public final class RecyclingPool implements BufferPool {

    static final int SERVER_BUFFER_SIZE = 16 * 1024; // the server's default output buffer size

    private final int bufferSize;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> large = new ArrayDeque<>(); // whole messages, any larger size

    public RecyclingPool(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    @Override
    public int bufferSize() {
        return bufferSize;
    }

    @Override
    public ByteBuffer acquire() {
        ByteBuffer buffer = free.pollLast();
        return buffer == null ? ByteBuffer.allocateDirect(bufferSize) : buffer.clear();
    }

    @Override
    public ByteBuffer acquire(int minCapacity) {
        if (minCapacity <= bufferSize) {
            return acquire();
        }
        ByteBuffer buffer = large.pollLast(); // a benchmark's messages are all of one size
        return buffer != null && buffer.capacity() >= minCapacity ? buffer.clear()
                : ByteBuffer.allocateDirect(minCapacity);
    }

    @Override
    public void release(ByteBuffer buffer) {
        (buffer.capacity() == bufferSize ? free : large).addLast(buffer);
    }
}
