package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsreactor.protocol.internal.Utf8Encoder;
import dev.wsreactor.protocol.internal.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property (c): the validator agrees with the JDK's strict UTF-8 decoder on arbitrary bytes, fed whole or split
 * anywhere, heap or direct, and fails at the same position.
 *
 * <p>"The same position" is defined through prefixes: the validator reports index f exactly when bytes[0..f) can
 * still be completed into text the JDK decoder accepts and bytes[0..f] cannot (RFC 6455 §8.1 fail-fast).
 */
class Utf8ValidatorProperties {

    @Provide
    Arbitrary<byte[]> utf8ish() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> highBytes = Arbitraries.integers().between(0x80, 0xFF).map(Integer::byteValue)
                .list().ofMaxSize(12).map(Utf8ValidatorProperties::toArray);
        Arbitrary<byte[]> corruptedText = Arbitraries.strings().ofMaxLength(20)
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .flatMap(bytes -> Arbitraries.integers().between(0, Math.max(0, bytes.length - 1))
                        .flatMap(at -> Arbitraries.integers().between(0, 255).map(value -> {
                            byte[] copy = bytes.clone();
                            if (copy.length > 0) {
                                copy[at] = (byte) (int) value;
                            }
                            return copy;
                        })));
        Arbitrary<byte[]> validText = Arbitraries.strings().ofMaxLength(30).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, highBytes, corruptedText, validText);
    }

    @Property(tries = 3000)
    void agreesWithTheJdkDecoderOnValidityAndFailurePosition(@ForAll("utf8ish") byte[] bytes,
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 40) Integer> cuts, @ForAll boolean direct) {
        Utf8Validator validator = new Utf8Validator();
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        buffer.put(bytes).clear();
        int reported = -1;
        int from = 0;
        List<Integer> points = cuts.stream().map(c -> Math.min(c, bytes.length)).sorted().toList();
        for (int to : points) {
            if (to > from && reported < 0) {
                reported = validator.validate(buffer, from, to);
                from = to;
            }
        }
        if (reported < 0) {
            reported = validator.validate(buffer, from, bytes.length);
        }

        int expected = jdkFailurePosition(bytes);
        assertEquals(expected, reported, "failure position for " + java.util.HexFormat.of().formatHex(bytes));
        if (expected < 0) {
            assertEquals(jdkDecodesCompletely(bytes), validator.isComplete(), "completeness");
        }
    }

    /** The first f such that bytes[0..f] is malformed for the JDK decoder, or -1. */
    private static int jdkFailurePosition(byte[] bytes) {
        for (int f = 0; f < bytes.length; f++) {
            if (malformedPrefix(bytes, f + 1)) {
                return f;
            }
        }
        return -1;
    }

    /**
     * A prefix is malformed when no continuation can make it valid. The JDK's streaming decoder alone is not enough:
     * it waits for a third byte before rejecting ED A0 (a surrogate), where a fail-fast validator stops at once.
     */
    private static boolean malformedPrefix(byte[] bytes, int length) {
        byte[] prefix = java.util.Arrays.copyOf(bytes, length);
        if (jdkDecodesCompletely(prefix)) {
            return false;
        }
        for (byte[] tail : CONTINUATIONS) {
            byte[] completed = java.util.Arrays.copyOf(prefix, length + tail.length);
            System.arraycopy(tail, 0, completed, length, tail.length);
            if (jdkDecodesCompletely(completed)) {
                return false;
            }
        }
        return true;
    }

    /** Every tail of one to three continuation bytes drawn from the edges of the ranges a second byte may take. */
    private static final List<byte[]> CONTINUATIONS = continuations();

    private static List<byte[]> continuations() {
        int[] edges = {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF};
        List<byte[]> tails = new java.util.ArrayList<>();
        for (int a : edges) {
            tails.add(new byte[] {(byte) a});
            for (int b : edges) {
                tails.add(new byte[] {(byte) a, (byte) b});
                for (int c : edges) {
                    tails.add(new byte[] {(byte) a, (byte) b, (byte) c});
                }
            }
        }
        return tails;
    }

    private static boolean jdkDecodesCompletely(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Property(tries = 1000)
    void encoderMatchesTheJdk(@ForAll String text, @ForAll boolean loneSurrogate) {
        String s = loneSurrogate ? text + "\uD800" + text : text;
        byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(jdk.length, Utf8Encoder.encodedLength(s));
        ByteBuffer out = ByteBuffer.allocate(jdk.length);
        Utf8Encoder.encode(s, out);
        assertEquals(ByteBuffer.wrap(jdk), out.flip());
        ByteBuffer direct = ByteBuffer.allocateDirect(jdk.length).put(jdk);
        assertEquals(new String(jdk, StandardCharsets.UTF_8), Utf8Encoder.decode(direct, 0, jdk.length));
    }

    private static byte[] toArray(List<Byte> list) {
        byte[] out = new byte[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
