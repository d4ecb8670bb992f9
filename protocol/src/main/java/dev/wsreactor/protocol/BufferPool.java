package dev.wsreactor.protocol;

import java.nio.ByteBuffer;

/**
 * Where the protocol gets the buffers it writes outgoing frames into, and those it puts a message together in
 * when its bytes arrive over several reads. The I/O layer supplies one (the reactor pools direct buffers); the
 * protocol never allocates output memory on its own.
 *
 * <p>Ownership: {@link #acquire()} and {@link #acquire(int)} hand a buffer over to the caller, who owns it until it
 * passes it back with {@link #release}. After release the caller must keep no reference or view of it.
 */
public interface BufferPool {

    /** {@return the capacity of every buffer this pool hands out} */
    int bufferSize();

    /** {@return a cleared buffer of {@link #bufferSize()} bytes, now owned by the caller} */
    ByteBuffer acquire();

    /**
     * A buffer for a whole message: at least {@code minCapacity} bytes, cleared, now owned by the caller. A pool
     * that keeps buffers of several sizes overrides this; the default takes one of {@link #bufferSize()} bytes when
     * that is enough and allocates a heap buffer (which {@link #release} lets go) when it is not.
     *
     * @param minCapacity the bytes it must hold
     * @return the buffer, its capacity at least {@code minCapacity}
     */
    default ByteBuffer acquire(int minCapacity) {
        return minCapacity <= bufferSize() ? acquire() : ByteBuffer.allocate(minCapacity);
    }

    /**
     * Gives back a buffer obtained from {@link #acquire()} or {@link #acquire(int)}; a pool tells them apart by
     * their capacity.
     *
     * @param buffer the buffer, of which the caller keeps no reference or view
     */
    void release(ByteBuffer buffer);

    /**
     * A pool that allocates heap buffers and lets the garbage collector reclaim them: for tools and tests.
     *
     * @param bufferSize the capacity of every buffer
     * @return the pool
     */
    static BufferPool unpooledHeap(int bufferSize) {
        return new BufferPool() {
            @Override
            public int bufferSize() {
                return bufferSize;
            }

            @Override
            public ByteBuffer acquire() {
                return ByteBuffer.allocate(bufferSize);
            }

            @Override
            public void release(ByteBuffer buffer) {
                // Nothing to do: the garbage collector reclaims it.
            }
        };
    }
}
