package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.internal.FrameDecoder;
import dev.wsreactor.protocol.internal.FrameListener;
import dev.wsreactor.protocol.internal.ProtocolViolation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Messages put together from several reads live in a pooled buffer that the listener may keep ({@link
 * Connection#keep}) and hand to the output ({@link Connection#sendKept}) without a copy; one it does not keep goes
 * back to the pool when the listener returns. The pool here checks every buffer is given back exactly once.
 */
class KeptMessageTest {

    private static final int BUFFER_SIZE = 4096;

    /**
     * Hands out buffers, counts what it allocates, fails on a buffer given back twice or never handed out, and
     * overwrites each one given back.
     */
    static final class CheckingPool implements BufferPool {
        final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
        final Map<ByteBuffer, Boolean> out = new IdentityHashMap<>();
        int allocated;

        @Override
        public int bufferSize() {
            return BUFFER_SIZE;
        }

        @Override
        public ByteBuffer acquire() {
            return acquire(0);
        }

        @Override
        public ByteBuffer acquire(int minCapacity) {
            int capacity = Math.max(BUFFER_SIZE, Integer.highestOneBit(Math.max(1, minCapacity - 1)) << 1);
            ByteBuffer buffer = null;
            for (Iterator<ByteBuffer> it = free.iterator(); it.hasNext(); ) { // by identity: equals() compares bytes
                ByteBuffer candidate = it.next();
                if (candidate.capacity() == capacity) {
                    buffer = candidate;
                    it.remove();
                    break;
                }
            }
            if (buffer == null) {
                allocated++;
                buffer = ByteBuffer.allocateDirect(capacity);
            }
            out.put(buffer, true);
            return buffer.clear();
        }

        @Override
        public void release(ByteBuffer buffer) {
            assertTrue(out.remove(buffer) != null, "a buffer given back twice, or never handed out");
            ByteBuffer whole = buffer.duplicate().clear();
            for (int i = 0; i < whole.capacity(); i++) {
                whole.put(i, (byte) 0x55); // whoever still reads it after giving it back reads this
            }
            free.add(buffer);
        }

        int outstanding() {
            return out.size();
        }
    }

    /** A listener that gives each binary message to {@code onBinary} along with the connection. */
    static final class Hands implements ConnectionListener {
        final List<String> events = new ArrayList<>();
        Connection connection;
        BiConsumer<Connection, ByteBuffer> onBinary = (connection, data) -> { };

        @Override
        public void onText(String text) {
            events.add("text");
        }

        @Override
        public void onBinary(ByteBuffer data) {
            events.add("binary:" + data.remaining());
            onBinary.accept(connection, data);
        }

        @Override
        public void onClose(CloseCode code, String reason) {
            events.add("close:" + code.value());
        }
    }

    private final CheckingPool pool = new CheckingPool();
    private final Hands listener = new Hands();
    private final Connection connection = open();

    private Connection open() {
        Connection opened = Connection.server(ConnectionConfig.builder().deflate(DeflateConfig.disabled()).build(),
                pool, listener, 0L);
        listener.connection = opened;
        opened.receive(ByteBuffer.wrap(ServerFixture.RFC_REQUEST.getBytes(StandardCharsets.US_ASCII)), 0L);
        assertEquals(ConnectionState.OPEN, opened.state());
        opened.output().drain();
        return opened;
    }

    private static byte[] payload(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Feeds a copy of the bytes (they are unmasked in place) in pieces cut at {@code cuts} (offsets, ascending). */
    private void receive(byte[] stream, int... cuts) {
        byte[] bytes = stream.clone();
        int from = 0;
        for (int cut : cuts) {
            connection.receive(ByteBuffer.wrap(bytes, from, cut - from).slice(), 0L);
            from = cut;
        }
        connection.receive(ByteBuffer.wrap(bytes, from, bytes.length - from).slice(), 0L);
    }

    /** The payloads of the data frames a server connection wrote since the last drain, in order (RSV1 allowed). */
    static List<byte[]> sentPayloads(Connection connection) {
        List<byte[]> payloads = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, Long.MAX_VALUE, Long.MAX_VALUE, DeflateConfig.RSV1);
        FrameListener recorder = new FrameListener() {
            private ByteArrayOutputStream current = new ByteArrayOutputStream();

            @Override
            public ProtocolViolation onDataFrameStart(Opcode opcode, boolean fin, int rsv, long payloadLength) {
                return null;
            }

            @Override
            public ProtocolViolation onDataPayload(ByteBuffer chunk, boolean endOfFrame) {
                byte[] part = new byte[chunk.remaining()];
                chunk.get(part);
                current.writeBytes(part);
                if (endOfFrame) {
                    payloads.add(current.toByteArray());
                    current = new ByteArrayOutputStream();
                }
                return null;
            }

            @Override
            public ProtocolViolation onControlFrame(Opcode opcode, ByteBuffer payload) {
                return null;
            }
        };
        assertNull(decoder.decode(ByteBuffer.wrap(connection.output().drain()), recorder));
        return payloads;
    }

    @Test
    void aMessageFromSeveralReadsIsHandedOverAndSentWithoutACopy() {
        byte[] payload = payload(64 * 1024, 1);
        List<ByteBuffer> given = new ArrayList<>();
        listener.onBinary = (c, data) -> {
            ByteBuffer kept = c.keep(data);
            assertSame(data, kept, "the assembled buffer itself is handed over");
            given.add(kept);
            assertTrue(c.sendKept(kept));
        };
        receive(Frames.start().client(Opcode.BINARY, true, payload).bytes(), 65_536);
        assertEquals(1, given.size());
        assertEquals(2, connection.output().readableCount(), "the header's buffer, then the kept one as it is");
        assertEquals(2, pool.outstanding(), "both are the output's now, nothing else is out");
        List<byte[]> sent = sentPayloads(connection);
        assertEquals(1, sent.size());
        assertArrayEquals(payload, sent.get(0));
        assertEquals(0, pool.outstanding(), "every buffer back in the pool once written");
    }

    @Test
    void aMessageNotKeptGoesBackToThePoolWhenTheListenerReturns() {
        receive(Frames.start().client(Opcode.BINARY, true, payload(20_000, 2)).bytes(), 100, 9_000);
        assertEquals(1, listener.events.stream().filter(e -> e.startsWith("binary:")).count());
        assertEquals(0, pool.outstanding());
    }

    @Test
    void aMessageWholeInOneReadIsCopiedWhenKept() {
        byte[] payload = payload(1000, 3);
        List<ByteBuffer> kept = new ArrayList<>();
        listener.onBinary = (c, data) -> {
            ByteBuffer copy = c.keep(data);
            assertNotSame(data, copy);
            assertEquals(data, copy, "the same bytes");
            kept.add(copy);
        };
        receive(Frames.start().client(Opcode.BINARY, true, payload).bytes());
        byte[] held = new byte[kept.get(0).remaining()];
        kept.get(0).duplicate().get(held);
        assertArrayEquals(payload, held);
        assertEquals(1, pool.outstanding(), "the copy is the listener's until it gives it back");
        pool.release(kept.get(0));
        assertEquals(0, pool.outstanding());
    }

    @Test
    void aFragmentedMessageGrowsInPooledBuffersAndLaterMessagesAllocateNone() {
        byte[] first = payload(3000, 4);
        byte[] second = payload(30_000, 5);
        byte[] third = payload(70_000, 6);
        byte[] stream = Frames.start()
                .client(Opcode.BINARY, false, first)
                .client(Opcode.CONTINUATION, false, second)
                .client(Opcode.CONTINUATION, true, third).bytes();
        listener.onBinary = (c, data) -> c.sendKept(c.keep(data));
        receive(stream, 2000, 40_000);
        byte[] whole = new byte[first.length + second.length + third.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        System.arraycopy(third, 0, whole, first.length + second.length, third.length);
        assertArrayEquals(whole, sentPayloads(connection).get(0));
        assertEquals(0, pool.outstanding());
        int allocated = pool.allocated;
        for (int i = 0; i < 5; i++) {
            receive(stream, 2000, 40_000);
            assertArrayEquals(whole, sentPayloads(connection).get(0));
        }
        assertEquals(allocated, pool.allocated, "the same messages again take every buffer from the pool");
        assertEquals(0, pool.outstanding());
    }

    @Test
    void aKeptBufferSentAfterTheCloseIsRefusedAndGivenBack() {
        List<ByteBuffer> kept = new ArrayList<>();
        listener.onBinary = (c, data) -> kept.add(c.keep(data));
        receive(Frames.start().client(Opcode.BINARY, true, payload(10_000, 7)).bytes(), 5000);
        receive(Frames.start().clientClose(1000, "bye").bytes());
        assertFalse(connection.sendKept(kept.get(0)));
        connection.output().drain();
        assertEquals(0, pool.outstanding());
    }

    /** Whatever the size and the cut, a kept echo puts on the wire exactly the frame a copying echo does. */
    @Property(tries = 60)
    void keptAndCopiedEchoesWriteTheSameBytes(@ForAll @IntRange(min = 0, max = 150_000) int length,
            @ForAll @IntRange(min = 1, max = 150_000) int cut, @ForAll boolean kept) {
        byte[] payload = payload(length, length);
        byte[] stream = Frames.start().client(Opcode.BINARY, true, payload).bytes();
        listener.onBinary = kept ? (c, data) -> c.sendKept(c.keep(data)) : (c, data) -> c.sendBinary(data);
        receive(stream, Math.min(cut, stream.length));
        byte[] wire = connection.output().drain();
        assertArrayEquals(Frames.start().server(Opcode.BINARY, true, payload).bytes(), wire);
        assertEquals(0, pool.outstanding());
    }
}
