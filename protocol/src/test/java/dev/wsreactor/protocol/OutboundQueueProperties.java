package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The output chain under any mix of appends, shared frames and partial writes: the bytes come out in order, none
 * lost or repeated, and every pooled buffer goes back to the pool.
 */
class OutboundQueueProperties {

    /** A pool that counts what is out, to check ownership. */
    private static final class CountingPool implements BufferPool {
        int out;

        @Override
        public int bufferSize() {
            return 64;
        }

        @Override
        public ByteBuffer acquire() {
            out++;
            return ByteBuffer.allocate(64);
        }

        @Override
        public void release(ByteBuffer buffer) {
            out--;
        }
    }

    @Property(tries = 500)
    void bytesComeOutInOrderAndBuffersGoBack(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 300) Integer> appends,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 200) Integer> writeSizes) {
        CountingPool pool = new CountingPool();
        OutboundQueue queue = new OutboundQueue(pool);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        byte next = 0;
        for (int i = 0; i < Math.max(appends.size(), writeSizes.size()); i++) {
            if (i < appends.size()) {
                byte[] bytes = new byte[appends.get(i)];
                for (int j = 0; j < bytes.length; j++) {
                    bytes[j] = next++;
                }
                expected.writeBytes(bytes);
                if (appends.get(i) % 3 == 0) {
                    queue.addShared(ByteBuffer.wrap(bytes)); // a broadcast frame: a view, never copied
                } else {
                    queue.append(ByteBuffer.wrap(bytes), false, 0);
                }
            }
            if (i < writeSizes.size()) {
                write(queue, writeSizes.get(i), written);
            }
            assertEquals(expected.size() - written.size(), queue.pendingBytes());
        }
        while (!queue.isEmpty()) {
            write(queue, 97, written);
        }
        assertArrayEquals(expected.toByteArray(), written.toByteArray());
        assertEquals(0, pool.out, "every pooled buffer was released once written");
        queue.append(ByteBuffer.wrap(new byte[100]), false, 0);
        queue.clear();
        assertEquals(0, pool.out, "clear() releases too");
    }

    /**
     * Frames of any size, some shared, written in pieces, then discarded at any point: what comes out is a prefix of
     * the frames that ends at a frame end, never before the end of the frame being sent (none is ever cut), and at
     * most one buffer after it; everything dropped is back in the pool at once.
     */
    @Property(tries = 500)
    void discardingNeverCutsAFrameAndKeepsAtMostOneBufferMore(
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 1, max = 300) Integer> frames,
            @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 200) Integer> writeSizes,
            @ForAll @IntRange(min = 0, max = 30) int discardAfter) {
        CountingPool pool = new CountingPool();
        OutboundQueue queue = new OutboundQueue(pool);
        java.util.TreeSet<Long> ends = new java.util.TreeSet<>(List.of(0L));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        byte next = 0;
        for (int size : frames) {
            byte[] bytes = new byte[size];
            for (int j = 0; j < size; j++) {
                bytes[j] = next++;
            }
            expected.writeBytes(bytes);
            ends.add((long) expected.size());
            if (size % 3 == 0) {
                queue.addShared(ByteBuffer.wrap(bytes));
            } else {
                queue.append(ByteBuffer.wrap(bytes), false, 0);
                queue.markFrameEnd();
            }
        }
        for (int i = 0; i < Math.min(discardAfter, writeSizes.size()); i++) {
            write(queue, writeSizes.get(i), written);
        }
        long sent = written.size();
        long frameEnd = ends.contains(sent) && sent > 0 ? sent : ends.higher(sent);
        long dropped = queue.discardUnsent();
        while (!queue.isEmpty()) {
            write(queue, 97, written);
        }
        long total = written.size();
        assertEquals(expected.size() - dropped, total);
        assertTrue(ends.contains(total), "ends at a frame end: " + total + " not in " + ends);
        assertTrue(total >= frameEnd, "the frame being sent is whole: " + total + " < " + frameEnd);
        assertTrue(total - frameEnd < 64, "at most one buffer more: " + total + " vs " + frameEnd);
        assertArrayEquals(java.util.Arrays.copyOf(expected.toByteArray(), (int) total), written.toByteArray());
        assertEquals(0, pool.out, "every pooled buffer was released");
    }

    /** A gathering write that takes at most {@code budget} bytes, as a socket with a full buffer would. */
    private static void write(OutboundQueue queue, int budget, ByteArrayOutputStream out) {
        ByteBuffer[] buffers = queue.readableBuffers();
        for (int i = 0; i < queue.readableCount() && budget > 0; i++) {
            ByteBuffer b = buffers[i];
            int n = Math.min(budget, b.remaining());
            byte[] chunk = new byte[n];
            b.get(chunk);
            out.writeBytes(chunk);
            budget -= n;
        }
        queue.afterWrite();
    }
}
