package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Inflater;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * RFC 7692 §7.1.2: a peer that limits the window to 2^bits bytes must never see a back-reference further back
 * than that, nor into an earlier message it may have forgotten. Checked by decoding the stream itself.
 */
class SmallWindowProperties {

    @Provide
    Arbitrary<byte[]> message() {
        // Repetitive text (so LZ77 finds matches near and far) and plain random bytes.
        Arbitrary<byte[]> text = Arbitraries.strings().withChars("{}\":,seatfrhold0123456789 ").ofMaxLength(400)
                .map(unit -> unit.repeat(1 + 20_000 / (unit.length() + 1)).getBytes(StandardCharsets.US_ASCII));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(20_000);
        return Arbitraries.oneOf(text, random);
    }

    @Property(tries = 150)
    void noBackReferenceReachesPastTheWindowOrTheMessage(@ForAll("message") byte[] before,
            @ForAll("message") byte[] message, @ForAll @IntRange(min = 8, max = 14) int windowBits,
            @ForAll boolean contextHeldBefore) throws Exception {
        MessageDeflater deflater = new MessageDeflater(6);
        try {
            deflater.compress(ByteBuffer.wrap(before), !contextHeldBefore); // context it must not use
            ByteBuffer compressed = deflater.compress(ByteBuffer.wrap(message), false, windowBits);
            DeflateDistances stream = DeflateDistances.ofMessage(compressed);
            assertTrue(stream.longestDistance <= 1 << windowBits, "distance " + stream.longestDistance);
            assertFalse(stream.reachedBeforeStart, "a reference into the previous message");
            byte[] bytes = new byte[compressed.remaining()];
            compressed.get(bytes);
            assertArrayEquals(message, DeflateConnectionTest.inflate(new Inflater(true), bytes));
        } finally {
            deflater.close();
        }
    }

    @Example
    void theFullWindowDoesReachFurtherSoTheCheckCanFail() {
        byte[] unit = new byte[2000];
        new java.util.Random(7).nextBytes(unit);
        byte[] twice = new byte[4000];
        System.arraycopy(unit, 0, twice, 0, 2000);
        System.arraycopy(unit, 0, twice, 2000, 2000);
        MessageDeflater deflater = new MessageDeflater(6);
        DeflateDistances full = DeflateDistances.ofMessage(deflater.compress(ByteBuffer.wrap(twice), true));
        DeflateDistances small = DeflateDistances.ofMessage(deflater.compress(ByteBuffer.wrap(twice), true, 9));
        deflater.close();
        assertTrue(full.longestDistance >= 2000, "distance " + full.longestDistance);
        assertTrue(small.longestDistance <= 512, "distance " + small.longestDistance);
    }
}
