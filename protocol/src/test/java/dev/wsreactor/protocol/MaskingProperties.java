package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsreactor.protocol.internal.Masking;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Property (b), RFC 6455 §5.3: masking is its own inverse, and the word-wise version equals the definition. */
class MaskingProperties {

    private static ByteBuffer buffer(byte[] bytes, boolean direct, boolean littleEndian) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        b.order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN).put(bytes).clear();
        return b;
    }

    @Property(tries = 2000)
    void wordWiseEqualsByteWiseAtEveryOffset(@ForAll @Size(max = 200) byte[] bytes, @ForAll int key,
            @ForAll @IntRange(min = 0, max = 3) int keyOffset, @ForAll @IntRange(min = 0, max = 20) int start,
            @ForAll boolean direct, @ForAll boolean littleEndian) {
        int from = Math.min(start, bytes.length);
        ByteBuffer fast = buffer(bytes, direct, littleEndian);
        ByteBuffer slow = buffer(bytes, false, false);
        int fastNext = Masking.unmask(fast, from, bytes.length, key, keyOffset);
        int slowNext = Masking.unmaskBytewise(slow, from, bytes.length, key, keyOffset);
        assertEquals(slowNext, fastNext);
        assertEquals(slow.clear(), fast.clear().order(ByteOrder.BIG_ENDIAN));
    }

    @Property(tries = 1000)
    void maskingTwiceGivesBackTheOriginal(@ForAll @Size(max = 300) byte[] bytes, @ForAll int key,
            @ForAll boolean direct) {
        ByteBuffer b = buffer(bytes, direct, false);
        Masking.unmask(b, 0, bytes.length, key, 0);
        Masking.unmask(b, 0, bytes.length, key, 0);
        assertEquals(ByteBuffer.wrap(bytes), b.clear());
    }

    @Property(tries = 1000)
    void chunkByChunkWithTheOffsetCarriedEqualsAllAtOnce(@ForAll @Size(max = 300) byte[] bytes, @ForAll int key,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 300) Integer> cuts) {
        ByteBuffer whole = buffer(bytes, false, false);
        Masking.unmask(whole, 0, bytes.length, key, 0);
        ByteBuffer chunked = buffer(bytes, true, false);
        int offset = 0;
        int from = 0;
        for (int cut : cuts.stream().map(c -> Math.min(c, bytes.length)).sorted().toList()) {
            offset = Masking.unmask(chunked, from, cut, key, offset);
            from = cut;
        }
        Masking.unmask(chunked, from, bytes.length, key, offset);
        assertEquals(whole.clear(), chunked.clear());
    }

    @Example
    void section5_7_theMaskedHelloExample() {
        ByteBuffer frame = ByteBuffer.wrap(Frames.hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
        Masking.unmask(frame, 6, 11, frame.getInt(2), 0);
        assertEquals("Hello", new String(frame.array(), 6, 5, StandardCharsets.US_ASCII));
    }
}
