package dev.wsreactor.protocol;

import dev.wsreactor.protocol.internal.Masking;
import java.nio.ByteBuffer;
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
 *
 * <p>Frame ends are marked ({@link #markFrameEnd}), the last one per buffer, so that the frames a peer that does
 * not read will never get can be dropped ({@link #discardUnsent}) without cutting the one it is receiving.
 */
public final class OutboundQueue {

    /** One buffer in the chain; recycled, so queueing a message does not allocate one. */
    private static final class Segment {
        ByteBuffer buffer;
        boolean pooled;
        int readIndex;
        int writeIndex;
        /** Where the last frame that ends in this buffer ends, or -1 when none does. */
        int lastFrameEnd;

        Segment set(ByteBuffer buffer, boolean pooled, int readIndex, int writeIndex) {
            this.buffer = buffer;
            this.pooled = pooled;
            this.readIndex = readIndex;
            this.writeIndex = writeIndex;
            this.lastFrameEnd = -1;
            return this;
        }

        int unsent() {
            return writeIndex - readIndex;
        }
    }

    private final BufferPool pool;
    // The chain, oldest first, as a ring: an ArrayDeque would allocate an iterator per write.
    private Segment[] ring = new Segment[2]; // an idle or lightly used connection never holds more; grows once if so
    private int head;
    private int size;
    private Segment spare; // the last segment emptied, reused for the next one
    private ByteBuffer[] readable = new ByteBuffer[2];
    private long pendingBytes;
    private long sharedBytes; // the part of pendingBytes in shared views, which this queue does not own
    private long writtenTotal; // every byte ever written from this queue: positions for write completions
    private boolean headStartsFrame; // the head's first byte, not yet sent, starts a frame (the last one ended before)
    private Segment reserved;

    /**
     * An empty queue.
     *
     * @param pool where its buffers come from, and go back to once written
     */
    public OutboundQueue(BufferPool pool) {
        this.pool = pool;
    }

    /** {@return the pool its buffers come from} */
    public BufferPool pool() {
        return pool;
    }

    private Segment at(int i) {
        return ring[(head + i) & (ring.length - 1)];
    }

    private Segment newSegment(ByteBuffer buffer, boolean pooled, int readIndex, int writeIndex) {
        Segment segment = spare != null ? spare : new Segment();
        spare = null;
        segment.set(buffer, pooled, readIndex, writeIndex);
        if (size == ring.length) {
            Segment[] bigger = new Segment[ring.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = at(i);
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + size) & (ring.length - 1)] = segment;
        size++;
        return segment;
    }

    private void dropTail() {
        int tail = (head + size - 1) & (ring.length - 1);
        Segment segment = ring[tail];
        ring[tail] = null;
        size--;
        recycle(segment);
    }

    private void dropHead() {
        Segment segment = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        recycle(segment);
    }

    private void recycle(Segment segment) {
        if (segment.pooled) {
            pool.release(segment.buffer);
        }
        segment.buffer = null;
        spare = segment;
    }

    /**
     * A buffer to write at least {@code minBytes} (at most the pool's buffer size) contiguous bytes into, at its
     * position. Call {@link #commit} when done. The buffer stays owned by the queue.
     *
     * @param minBytes the contiguous room needed
     * @return the buffer to write into
     */
    public ByteBuffer reserve(int minBytes) {
        if (reserved != null) {
            throw new IllegalStateException("reserve() called twice without commit()");
        }
        if (minBytes > pool.bufferSize()) {
            throw new IllegalArgumentException(minBytes + " contiguous bytes asked of a pool of " + pool.bufferSize());
        }
        Segment tail = size == 0 ? null : at(size - 1);
        if (tail == null || !tail.pooled || tail.buffer.capacity() - tail.writeIndex < minBytes) {
            tail = newSegment(pool.acquire(), true, 0, 0);
        }
        reserved = tail;
        ByteBuffer buffer = tail.buffer;
        buffer.limit(buffer.capacity()).position(tail.writeIndex);
        return buffer;
    }

    /**
     * Records what was written into the buffer returned by {@link #reserve} (up to its position).
     *
     * @param buffer that buffer
     */
    public void commit(ByteBuffer buffer) {
        if (reserved == null || reserved.buffer != buffer) {
            throw new IllegalStateException("commit() of a buffer that was not reserved");
        }
        pendingBytes += buffer.position() - reserved.writeIndex;
        reserved.writeIndex = buffer.position();
        reserved = null;
    }

    /** Forgets the buffer {@link #reserve} returned without queueing what was written into it (a frame that failed). */
    public void cancelReservation() {
        reserved = null;
    }

    /**
     * Appends all remaining bytes of {@code src}, spread over as many pooled buffers as needed.
     *
     * @param src the bytes, consumed
     * @param masked whether to mask the appended bytes (§5.3), starting at key offset 0
     * @param maskKey the masking key, if masked
     * @return the number of bytes appended
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

    /**
     * Appends a shared, read-only frame (its remaining bytes); the queue will never modify or release it.
     *
     * @param frame the frame, shared with other queues
     */
    public void addShared(ByteBuffer frame) {
        ByteBuffer view = frame.asReadOnlyBuffer();
        newSegment(view, false, view.position(), view.limit()).lastFrameEnd = view.limit();
        pendingBytes += view.remaining();
        sharedBytes += view.remaining();
    }

    /**
     * Appends a buffer from this queue's pool (its remaining bytes), which the queue now owns and gives back to the
     * pool once written, like its own: a message handed over without a copy.
     *
     * @param owned the buffer, of which the caller keeps no reference or view
     */
    public void addOwned(ByteBuffer owned) {
        newSegment(owned, true, owned.position(), owned.limit());
        pendingBytes += owned.remaining();
    }

    /** What was appended since the last frame end is one whole frame (the writer says so after each). */
    public void markFrameEnd() {
        if (size > 0) {
            Segment tail = at(size - 1);
            tail.lastFrameEnd = tail.writeIndex;
        }
    }

    /**
     * Drops every frame that has not started going out, keeping the rest of the one the peer is receiving (and whole
     * frames that share its last buffer): a frame cut short would make everything after it unreadable. Bytes before the
     * first mark (an HTTP response) stay with the first frame.
     *
     * @return the number of bytes dropped
     */
    public long discardUnsent() {
        if (reserved != null) {
            throw new IllegalStateException("discardUnsent() between reserve() and commit()");
        }
        int kept = 0;
        long keep = 0;
        if (size > 0 && !headStartsFrame && at(0).lastFrameEnd != at(0).readIndex) { // else at a frame boundary
            for (; kept < size; kept++) { // to the first frame end not yet sent
                Segment segment = at(kept);
                if (segment.lastFrameEnd > segment.readIndex) {
                    keep += segment.lastFrameEnd - segment.readIndex;
                    segment.writeIndex = segment.lastFrameEnd;
                    kept++;
                    break;
                }
                keep += segment.unsent();
            }
        }
        while (size > kept) {
            dropTail();
        }
        long dropped = pendingBytes - keep;
        pendingBytes = keep;
        sharedBytes = 0;
        for (int i = 0; i < size; i++) {
            sharedBytes += at(i).pooled ? 0 : at(i).unsent();
        }
        return dropped;
    }

    /**
     * How many bytes have been written from this queue since it was made (dropped ones not included): with
     * {@link #endPosition()}, what an I/O layer compares to learn that a given message has been written.
     *
     * @return the count of bytes taken out by writes
     */
    public long writtenTotal() {
        return writtenTotal;
    }

    /**
     * Where the last byte queued so far ends, on the scale of {@link #writtenTotal()}: once that count reaches
     * this value, everything queued before now has been written. Bytes dropped by {@link #discardUnsent} or
     * {@link #clear} give their positions back, so marks taken before a drop must be settled by the caller then.
     *
     * @return the written count plus the bytes still queued
     */
    public long endPosition() {
        return writtenTotal + pendingBytes;
    }

    /** {@return the bytes queued and not yet written} */
    public long pendingBytes() {
        return pendingBytes;
    }

    /**
     * {@return the queued bytes that are the queue's own, so count as its memory: all but frames shared by a broadcast}
     */
    public long ownedBytes() {
        return pendingBytes - sharedBytes;
    }

    /** {@return whether nothing is queued} */
    public boolean isEmpty() {
        return pendingBytes == 0;
    }

    /** {@return how many buffers {@link #readableBuffers()} will return} */
    public int readableCount() {
        return size;
    }

    /**
     * The queued bytes as buffers ready to read, for one gathering write. Write from them, then call {@link
     * #afterWrite()} before touching the queue again.
     *
     * @return the buffers; the first {@link #readableCount()} entries are valid
     */
    public ByteBuffer[] readableBuffers() {
        if (readable.length < size) {
            readable = Arrays.copyOf(readable, Math.max(size, readable.length * 2));
        }
        for (int i = 0; i < size; i++) {
            Segment segment = at(i);
            segment.buffer.limit(segment.writeIndex).position(segment.readIndex);
            readable[i] = segment.buffer;
        }
        return readable;
    }

    /** Takes note of what the last write consumed (the buffers' positions) and releases what is fully written. */
    public void afterWrite() {
        Arrays.fill(readable, 0, Math.min(size, readable.length), null);
        while (size > 0) {
            Segment first = ring[head];
            int written = first.buffer.position() - first.readIndex;
            pendingBytes -= written;
            writtenTotal += written;
            sharedBytes -= first.pooled ? 0 : written;
            first.readIndex = first.buffer.position();
            if (first.readIndex < first.writeIndex) {
                headStartsFrame &= written == 0;
                break;
            }
            headStartsFrame = first.lastFrameEnd == first.writeIndex;
            dropHead();
        }
        // Segments after a partly written one were not touched by the write; their positions are as set.
    }

    /** Drops everything queued and gives the pooled buffers back; used when the connection is torn down. */
    public void clear() {
        while (size > 0) {
            dropHead();
        }
        Arrays.fill(readable, null);
        pendingBytes = 0;
        sharedBytes = 0;
        reserved = null;
    }

    /** {@return a copy of everything queued, not consumed} For tests and tools, not for the hot path. */
    public byte[] peekAll() {
        byte[] all = new byte[(int) pendingBytes];
        int offset = 0;
        for (int i = 0; i < size; i++) {
            Segment segment = at(i);
            ByteBuffer view = segment.buffer.duplicate();
            view.limit(segment.writeIndex).position(segment.readIndex);
            int n = view.remaining();
            view.get(all, offset, n);
            offset += n;
        }
        return all;
    }

    /** {@return everything queued, consumed as if it had been written} For tests and tools. */
    public byte[] drain() {
        byte[] all = peekAll();
        readableBuffers();
        for (int i = 0; i < size; i++) {
            Segment segment = at(i);
            segment.buffer.position(segment.writeIndex);
        }
        afterWrite();
        return all;
    }
}
