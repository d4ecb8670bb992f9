package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.internal.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Checking a text message's UTF-8 (§8.1) with {@link Utf8Validator}, against the JDK's strict
 * {@link CharsetDecoder} as the baseline. The JDK decoder also produces the chars (into a buffer made once), so
 * it does more work: it is the cost of validating with what the JDK offers, not a like-for-like algorithm.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Utf8ValidateBenchmark {

    @Param({"ascii", "latin", "cjk", "emoji"})
    String text;

    @Param({"32", "1024", "65536"})
    int size;

    private final Utf8Validator validator = new Utf8Validator();
    private final CharsetDecoder jdkDecoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
    private ByteBuffer bytes;
    private CharBuffer chars;

    @Setup
    public void setUp() {
        bytes = ByteBuffer.wrap(sample(text, size));
        chars = CharBuffer.allocate(size);
        if (validator() != -1 || jdkDecoder().isError()) {
            throw new IllegalStateException("the sample is not valid UTF-8");
        }
    }

    /** {@code size} bytes of valid UTF-8: a sentence of the kind repeated, then ASCII to fill what is left. */
    static byte[] sample(String kind, int size) {
        String sentence;
        switch (kind) {
            case "ascii":
                sentence = "The quick brown fox jumps over the lazy dog. ";
                break;
            case "latin": // mostly ASCII with two-byte letters, as in French, German or Czech text
                sentence = "Größere Maßstäbe für Übergänge: café, naïve, señor, Dvořák. ";
                break;
            case "cjk": // three bytes per character
                sentence = "日本語のテキストと中文文本，还有한국어 텍스트。";
                break;
            case "emoji": // four bytes per code point
                sentence = "😀🎉👍🚀🌍✨ ";
                break;
            default:
                throw new IllegalArgumentException("unknown text kind " + kind);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        int[] codePoints = sentence.codePoints().toArray();
        for (int i = 0; ; i = (i + 1) % codePoints.length) {
            byte[] encoded = new String(codePoints, i, 1).getBytes(StandardCharsets.UTF_8);
            if (encoded.length > out.remaining()) {
                break;
            }
            out.put(encoded);
        }
        while (out.hasRemaining()) {
            out.put((byte) 'x');
        }
        return out.array();
    }

    @Benchmark
    /** -1 for valid UTF-8, else where it fails (the end, if the text stops inside a character). */
    public int validator() {
        validator.reset();
        int failure = validator.validate(bytes, 0, size);
        return failure >= 0 ? failure : validator.isComplete() ? -1 : size;
    }

    @Benchmark
    public CoderResult jdkDecoder() {
        jdkDecoder.reset();
        bytes.position(0);
        chars.clear();
        return jdkDecoder.decode(bytes, chars, true);
    }
}
