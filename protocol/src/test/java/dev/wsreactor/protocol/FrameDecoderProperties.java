package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.internal.FrameDecoder;
import dev.wsreactor.protocol.internal.FrameListener;
import dev.wsreactor.protocol.internal.ProtocolViolation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/** §5.2: the decoder gives the same frames for any split of the stream, and never throws on garbage. */
class FrameDecoderProperties {

    /** One frame to send: a data message split into fragments, or a control frame between them. */
    record PlannedFrame(int opcode, boolean fin, byte[] payload) {
    }

    @Provide
    Arbitrary<List<PlannedFrame>> frameSequences() {
        // Mostly short payloads; now and then a 16- or 64-bit length (§5.2).
        Arbitrary<byte[]> payloads = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, Arbitraries.bytes().array(byte[].class).ofMaxSize(130)),
                net.jqwik.api.Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMinSize(126).ofMaxSize(2000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(65_536).ofMaxSize(70_000)));
        Arbitrary<List<PlannedFrame>> message = Combinators.combine(
                Arbitraries.of(Opcode.TEXT, Opcode.BINARY), payloads.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(125).injectNull(0.6))
                .as((type, fragments, ping) -> {
                    List<PlannedFrame> frames = new ArrayList<>();
                    for (int i = 0; i < fragments.size(); i++) {
                        int opcode = i == 0 ? type.code() : Opcode.CONTINUATION.code();
                        frames.add(new PlannedFrame(opcode, i == fragments.size() - 1, fragments.get(i)));
                        if (ping != null && i == 0) {
                            frames.add(new PlannedFrame(Opcode.PING.code(), true, ping)); // §5.4: may interleave
                        }
                    }
                    return frames;
                });
        return message.list().ofMaxSize(6).map(messages -> {
            List<PlannedFrame> all = new ArrayList<>();
            messages.forEach(all::addAll);
            return all;
        });
    }

    @Property(tries = 300)
    void anySplitOfTheStreamGivesTheSameFrames(@ForAll("frameSequences") List<PlannedFrame> frames,
            @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 5000) Integer> cuts,
            @ForAll boolean direct, @ForAll boolean oneByteAtATime) {
        Frames stream = Frames.start();
        List<String> expected = new ArrayList<>();
        for (PlannedFrame frame : frames) {
            stream.client(frame.opcode(), frame.fin(), 0, frame.payload());
            expected.add(describe(frame));
        }
        byte[] bytes = stream.bytes();

        FrameDecoder decoder = new FrameDecoder(Role.SERVER, Long.MAX_VALUE, Long.MAX_VALUE, 0);
        RecordingFrameListener recorder = new RecordingFrameListener();
        int at = 0;
        int cut = 0;
        while (at < bytes.length) {
            int size = oneByteAtATime ? 1 : cut < cuts.size() ? cuts.get(cut++) : bytes.length - at;
            size = Math.min(size, bytes.length - at);
            ByteBuffer chunk = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
            chunk.put(bytes, at, size).flip();
            assertNull(decoder.decode(chunk, recorder));
            assertEquals(0, chunk.remaining(), "every byte is consumed");
            at += size;
        }
        assertEquals(expected, recorder.events);
        assertTrue(decoder.isBetweenFrames());
    }

    private static String describe(PlannedFrame frame) {
        Opcode opcode = Opcode.fromCode(frame.opcode());
        String hex = RecordingFrameListener.hex(ByteBuffer.wrap(frame.payload()));
        if (opcode.isControl()) {
            return opcode + " " + hex;
        }
        return opcode + " fin=" + frame.fin() + " rsv=0 len=" + frame.payload().length + " " + hex;
    }

    @Property(tries = 2000)
    void garbageNeverThrowsAndOnlyFailsWithAValidCloseCode(@ForAll @Size(max = 300) byte[] garbage,
            @ForAll @IntRange(min = 1, max = 40) int chunkSize, @ForAll Role role) {
        decodeExpectingNoThrow(new FrameDecoder(role, 1000, 5000, 0), garbage, chunkSize);
    }

    /**
     * Valid streams with a few bytes flipped, inserted, deleted or cut off: these get past the first two bytes
     * and reach every rule of the header (the reached rules are collected), and still never make it throw.
     */
    @Property(tries = 1000)
    void mutatedStreamsNeverThrowAndFailOnlyWithAValidCloseCode(@ForAll("frameSequences") List<PlannedFrame> frames,
            @ForAll("mutations") List<Mutation> mutations, @ForAll @IntRange(min = 1, max = 700) int chunkSize) {
        Frames stream = Frames.start();
        for (PlannedFrame frame : frames) {
            stream.client(frame.opcode(), frame.fin(), 0, frame.payload());
        }
        byte[] mutated = Mutation.applyAll(mutations, stream.bytes());
        ProtocolViolation violation = decodeExpectingNoThrow(new FrameDecoder(Role.SERVER, 20_000, 50_000, 0), mutated,
                chunkSize);
        String outcome = violation == null ? "no violation" : violation.reason().replaceAll("\\d+", "N");
        Statistics.label("outcome").collect(outcome);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Mutation.some();
    }

    private static ProtocolViolation decodeExpectingNoThrow(FrameDecoder decoder, byte[] bytes, int chunkSize) {
        FrameListener quiet = new RecordingFrameListener();
        for (int at = 0; at < bytes.length; at += chunkSize) {
            ByteBuffer chunk = ByteBuffer.wrap(bytes, at, Math.min(chunkSize, bytes.length - at));
            ProtocolViolation violation = decoder.decode(chunk, quiet);
            if (violation != null) {
                assertTrue(violation.code().equals(CloseCode.PROTOCOL_ERROR)
                        || violation.code().equals(CloseCode.MESSAGE_TOO_BIG), violation.toString());
                return violation;
            }
            assertEquals(0, chunk.remaining());
        }
        return null;
    }
}
