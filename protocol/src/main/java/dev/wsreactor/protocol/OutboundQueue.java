package dev.wsreactor.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The bytes a connection has to send, in order, as a chain of buffers: frames are encoded straight into pooled
 * buffers here, and the I/O layer writes them all with one gathering write.
 *
 * <p>Ownership: the queue owns every pooled buffer in it and gives each back to the {@link BufferPool} as soon
 * as it has been written, so an idle connection holds no output buffer at all. A shared buffer added with
 * {@link #addShared} (one broadcast frame sent to many connections) is a read-only view the queue only drops,
 * never releases.
 *
 * <p>Two sides use it: the protocol appends ({@link #reserve} and {@link #commit}, or {@link #addShared}), the
 * I/O layer drains ({@link #readableBuffers()}, then {@link #afterWrite()}). Both run on the same thread.
 */
public final class OutboundQueue {

    private static final class Segment {
        ByteBuffer buffer;
        boolean pooled;
        int readIndex;
        int writeIndex;

        Segment set(ByteBuffer buffer, boolean pooled, int readIndex, int writeIndex) {
            this.buffer = buffer;
            this.pooled = pooled;
            this.readIndex = readIndex;
            this.writeIndex = writeIndex;
            return this;
        }
    }

    private final BufferPool pool;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    // The last segment written out, kept (without its buffer) for the next frame: a connection that sends one
    // frame per write allocates nothing per frame.
    private Segment spare;
    private ByteBuffer[] readable = new ByteBuffer[4];
    private long pendingBytes;
    private Segment reserved;

    public OutboundQueue(BufferPool pool) {
        this.pool = pool;
    }

    public BufferPool pool() {
        return pool;
    }

    /**
     * A buffer to write at least {@code minBytes} (at most the pool's buffer size) contiguous bytes into, at its
     * position. Call {@link #commit} when done. The buffer stays owned by the queue.
     */
    public ByteBuffer reserve(int minBytes) {
        if (reserved != null) {
            throw new IllegalStateException("reserve() called twice without commit()");
        }
        if (minBytes > pool.bufferSize()) {
            throw new IllegalArgumentException(minBytes + " contiguous bytes asked of a pool of " + pool.bufferSize());
        }
        Segment tail = segments.peekLast();
        if (tail == null || !tail.pooled || tail.buffer.capacity() - tail.writeIndex < minBytes) {
            tail = segment(pool.acquire(), true, 0, 0);
            segments.addLast(tail);
        }
        reserved = tail;
        ByteBuffer buffer = tail.buffer;
        buffer.limit(buffer.capacity()).position(tail.writeIndex);
        return buffer;
    }

    /** Records what was written into the buffer returned by {@link #reserve} (up to its position). */
    public void commit(ByteBuffer buffer) {
        if (reserved == null || reserved.buffer != buffer) {
            throw new IllegalStateException("commit() of a buffer that was not reserved");
        }
        pendingBytes += buffer.position() - reserved.writeIndex;
        reserved.writeIndex = buffer.position();
        reserved = null;
    }

    /**
     * Appends all remaining bytes of {@code src}, spread over as many pooled buffers as needed. Returns the number
     * of bytes appended. If {@code maskKey} is not 0-and-unmasked, the appended bytes are masked (§5.3) starting
     * at key offset 0.
     */
    public int append(ByteBuffer src, boolean masked, int maskKey) {
        int total = src.remaining();
        int keyOffset = 0;
        while (src.hasRemaining()) {
            ByteBuffer dst = reserve(1);
            int start = dst.position();
            int take = Math.min(dst.remaining(), src.remaining());
            int limit = src.limit();
            src.limit(src.position() + take);
            dst.put(src);
            src.limit(limit);
            if (masked) {
                keyOffset = Masking.unmask(dst, start, dst.position(), maskKey, keyOffset);
            }
            commit(dst);
        }
        return total;
    }

    /** Appends a shared, read-only frame (its remaining bytes); the queue will never modify or release it. */
    public void addShared(ByteBuffer frame) {
        ByteBuffer view = frame.asReadOnlyBuffer();
        segments.addLast(segment(view, false, view.position(), view.limit()));
        pendingBytes += view.remaining();
    }

    /** Bytes queued and not yet written. */
    public long pendingBytes() {
        return pendingBytes;
    }

    public boolean isEmpty() {
        return pendingBytes == 0;
    }

    /** How many buffers {@link #readableBuffers()} will return. */
    public int readableCount() {
        return segments.size();
    }

    /**
     * The queued bytes as buffers ready to read, for one gathering write; the first {@link #readableCount()}
     * entries are valid. Write from them, then call {@link #afterWrite()} before touching the queue again.
     */
    public ByteBuffer[] readableBuffers() {
        if (readable.length < segments.size()) {
            readable = Arrays.copyOf(readable, Math.max(segments.size(), readable.length * 2));
        }
        int i = 0;
        for (Segment segment : segments) {
            segment.buffer.limit(segment.writeIndex).position(segment.readIndex);
            readable[i++] = segment.buffer;
        }
        return readable;
    }

    /** Takes note of what the last write consumed (the buffers' positions) and releases what is fully written. */
    public void afterWrite() {
        int count = segments.size();
        for (int i = 0; i < count; i++) {
            readable[i] = null;
        }
        while (!segments.isEmpty()) {
            Segment head = segments.peekFirst();
            int written = head.buffer.position() - head.readIndex;
            pendingBytes -= written;
            head.readIndex = head.buffer.position();
            if (head.readIndex < head.writeIndex) {
                break;
            }
            segments.pollFirst();
            recycle(head);
        }
        // Segments after a partly written one were not touched by the write; their positions are as set.
    }

    /** Drops everything queued and gives the pooled buffers back; used when the connection is torn down. */
    public void clear() {
        for (Segment segment : segments) {
            recycle(segment);
        }
        segments.clear();
        Arrays.fill(readable, null);
        pendingBytes = 0;
        reserved = null;
    }

    private Segment segment(ByteBuffer buffer, boolean pooled, int readIndex, int writeIndex) {
        Segment segment = spare != null ? spare : new Segment();
        spare = null;
        return segment.set(buffer, pooled, readIndex, writeIndex);
    }

    /** Gives a segment's buffer back to the pool (if pooled) and keeps the emptied segment for reuse. */
    private void recycle(Segment segment) {
        if (segment.pooled) {
            pool.release(segment.buffer);
        }
        segment.buffer = null; // after release the queue must keep no reference to the buffer
        spare = segment;
    }

    /** Copies out everything queued without consuming it: for tests and tools, not for the hot path. */
    public byte[] peekAll() {
        byte[] all = new byte[(int) pendingBytes];
        int at = 0;
        for (Segment segment : segments) {
            ByteBuffer view = segment.buffer.duplicate();
            view.limit(segment.writeIndex).position(segment.readIndex);
            int n = view.remaining();
            view.get(all, at, n);
            at += n;
        }
        return all;
    }

    /** Consumes everything queued as if it had been written, returning the bytes: for tests and tools. */
    public byte[] drain() {
        byte[] all = peekAll();
        readableBuffers();
        for (Segment segment : segments) {
            segment.buffer.position(segment.writeIndex);
        }
        afterWrite();
        return all;
    }
}
