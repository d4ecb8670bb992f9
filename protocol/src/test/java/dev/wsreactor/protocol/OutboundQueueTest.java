package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The output queue hands out, writes and gives back buffers in order, however often it is filled and emptied. */
class OutboundQueueTest {

    /** A pool that reuses its buffers and checks that each is given back once, and only after being handed out. */
    private static final class CheckingPool implements BufferPool {
        final List<ByteBuffer> free = new ArrayList<>();
        final Map<ByteBuffer, Boolean> out = new IdentityHashMap<>();

        @Override
        public int bufferSize() {
            return 64;
        }

        @Override
        public ByteBuffer acquire() {
            ByteBuffer buffer = free.isEmpty() ? ByteBuffer.allocate(64) : free.remove(free.size() - 1).clear();
            out.put(buffer, Boolean.TRUE);
            return buffer;
        }

        @Override
        public void release(ByteBuffer buffer) {
            assertTrue(out.remove(buffer) != null, "released a buffer that was not handed out, or twice");
            free.add(buffer);
        }
    }

    private static void put(OutboundQueue queue, String text) {
        ByteBuffer dst = queue.reserve(text.length());
        dst.put(text.getBytes(StandardCharsets.US_ASCII));
        queue.commit(dst);
    }

    /** Writes at most {@code max} bytes, as a socket might, and returns them. */
    private static String write(OutboundQueue queue, int max) {
        ByteBuffer[] buffers = queue.readableBuffers();
        StringBuilder written = new StringBuilder();
        for (int i = 0; i < queue.readableCount() && written.length() < max; i++) {
            ByteBuffer buffer = buffers[i];
            while (buffer.hasRemaining() && written.length() < max) {
                written.append((char) buffer.get());
            }
        }
        queue.afterWrite();
        return written.toString();
    }

    @Test
    void everyCycleWritesItsBytesInOrderAndGivesEveryBufferBack() {
        CheckingPool pool = new CheckingPool();
        OutboundQueue queue = new OutboundQueue(pool);
        ByteBuffer shared = ByteBuffer.wrap("<shared>".getBytes(StandardCharsets.US_ASCII));
        for (int round = 0; round < 5; round++) {
            put(queue, "a" + round);
            queue.addShared(shared);
            put(queue, "b" + round + "-".repeat(60)); // does not fit after a shared segment: a second buffer
            queue.append(ByteBuffer.wrap(("c" + round).getBytes(StandardCharsets.US_ASCII)), false, 0);
            String expected = "a" + round + "<shared>b" + round + "-".repeat(60) + "c" + round;
            assertEquals(expected.length(), queue.pendingBytes());
            String written = write(queue, 5) + write(queue, 20) + write(queue, Integer.MAX_VALUE);
            assertEquals(expected, written);
            assertTrue(queue.isEmpty());
            assertEquals(0, queue.readableCount());
            assertEquals(0, pool.out.size(), "every pooled buffer is back in the pool once written");
        }
        assertEquals(0, shared.position(), "a shared frame is never consumed");
    }

    @Test
    void clearGivesBackWhatIsQueuedAndTheQueueWorksAfterwards() {
        CheckingPool pool = new CheckingPool();
        OutboundQueue queue = new OutboundQueue(pool);
        put(queue, "x".repeat(40));
        put(queue, "y".repeat(40));
        queue.addShared(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        queue.clear();
        assertEquals(0, pool.out.size());
        assertTrue(queue.isEmpty());
        put(queue, "after");
        assertArrayEquals("after".getBytes(StandardCharsets.US_ASCII), queue.drain());
        assertEquals(0, pool.out.size());
    }

    /** Puts one whole frame of this text and marks its end, as the frame writer does. */
    private static void frame(OutboundQueue queue, String text) {
        queue.append(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), false, 0);
        queue.markFrameEnd();
    }

    @Test
    void discardingKeepsTheRestOfTheFrameBeingSentAndDropsTheFramesNotStarted() {
        CheckingPool pool = new CheckingPool();
        OutboundQueue queue = new OutboundQueue(pool);
        frame(queue, "A".repeat(100)); // two buffers of 64
        frame(queue, "B".repeat(100));
        frame(queue, "C".repeat(100));
        assertEquals("A".repeat(30), write(queue, 30));
        long dropped = queue.discardUnsent();
        // A ends in the second buffer, which B starts: B's first 28 bytes go there, so the cut is at A's end.
        assertEquals(200, dropped);
        assertEquals(70, queue.pendingBytes());
        assertEquals("A".repeat(70), write(queue, Integer.MAX_VALUE));
        assertEquals(0, pool.out.size(), "what was dropped went back to the pool at once");
    }

    @Test
    void discardingAtAFrameBoundaryKeepsNothingNotStartedBeyondThatBuffer() {
        CheckingPool pool = new CheckingPool();
        OutboundQueue queue = new OutboundQueue(pool);
        frame(queue, "A".repeat(64)); // exactly one buffer
        frame(queue, "B".repeat(100));
        assertEquals("A".repeat(64), write(queue, 64));
        assertEquals(100, queue.discardUnsent());
        assertTrue(queue.isEmpty());
        assertEquals(0, pool.out.size());
        frame(queue, "after");
        assertEquals("after", write(queue, Integer.MAX_VALUE), "the queue works on");
    }

    @Test
    void aSharedFrameIsNotTheQueuesMemoryAndIsDroppedWholeOrKeptWhole() {
        CheckingPool pool = new CheckingPool();
        OutboundQueue queue = new OutboundQueue(pool);
        ByteBuffer shared = ByteBuffer.wrap("S".repeat(50).getBytes(StandardCharsets.US_ASCII));
        queue.addShared(shared);
        frame(queue, "own");
        assertEquals(53, queue.pendingBytes());
        assertEquals(3, queue.ownedBytes(), "a broadcast frame belongs to every queue it is in, so to none");
        assertEquals("S".repeat(10), write(queue, 10));
        assertEquals(3, queue.discardUnsent());
        assertEquals(40, queue.pendingBytes());
        assertEquals(0, queue.ownedBytes());
        assertEquals("S".repeat(40), write(queue, Integer.MAX_VALUE));
        assertEquals(0, queue.ownedBytes());
    }

    @Test
    void bytesBeforeTheFirstMarkStayWithTheFirstFrame() {
        // The HTTP 101 response is not a frame: a peer that has not read it gets it whole, and the frame after it.
        OutboundQueue queue = new OutboundQueue(new CheckingPool());
        queue.append(ByteBuffer.wrap("HTTP/1.1 101\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), false, 0);
        frame(queue, "first");
        frame(queue, "S".repeat(60)); // ends in a second buffer
        assertEquals(60, queue.discardUnsent());
        assertEquals(0, queue.discardUnsent(), "discarding again drops nothing more");
        assertEquals("HTTP/1.1 101\r\n\r\nfirst", write(queue, Integer.MAX_VALUE));
    }

    @Test
    void positionsCountWrittenBytesSoThatAMessagesEndCanBeAwaited() {
        OutboundQueue queue = new OutboundQueue(new CheckingPool());
        queue.append(ByteBuffer.wrap(new byte[100]), false, 0);
        long firstEnds = queue.endPosition();
        queue.append(ByteBuffer.wrap(new byte[50]), false, 0);
        long secondEnds = queue.endPosition();
        assertEquals(100, firstEnds);
        assertEquals(150, secondEnds);
        assertEquals(0, queue.writtenTotal());
        ByteBuffer[] buffers = queue.readableBuffers();
        buffers[0].position(buffers[0].position() + 64); // a partial write: the first 64 bytes
        queue.afterWrite();
        assertEquals(64, queue.writtenTotal());
        assertTrue(queue.writtenTotal() < firstEnds, "the first message is not all written yet");
        queue.drain();
        assertEquals(150, queue.writtenTotal());
        assertEquals(queue.writtenTotal(), queue.endPosition(), "nothing queued: the end is where writing is");
    }
}
