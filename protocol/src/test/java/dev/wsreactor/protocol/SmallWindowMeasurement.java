package dev.wsreactor.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.Deflater;

/**
 * What a small window costs: compressed size and speed of each way to compress JSON-like messages, for the README.
 * Not a test; run it with
 * <pre>mvn -q -pl protocol test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.wsreactor.protocol.SmallWindowMeasurement</pre>
 */
public final class SmallWindowMeasurement {

    private static final int MESSAGES = 200;
    private static final int ROUNDS = 9;

    private SmallWindowMeasurement() {
    }

    public static void main(String[] args) {
        int[] sizes = {256, 1024, 4096, 16384, 65536};
        System.out.println("| way to compress | " + String.join(" | ", java.util.Arrays.stream(sizes)
                .mapToObj(s -> s + " B").toList()) + " |");
        System.out.println("|---|" + "---|".repeat(sizes.length));
        Deflater huffman = new Deflater(6, true);
        huffman.setStrategy(Deflater.HUFFMAN_ONLY);
        for (boolean print : new boolean[] {false, true}) { // the first pass warms the JIT up
            row(print, "full window, reset per message (the shared compressor)", sizes, d -> m -> d.compress(m, true));
            row(print, "full window, context kept (own compressor)", sizes, d -> m -> d.compress(m, false));
            row(print, "window 12 bits (segments of 4 KiB)", sizes, d -> m -> d.compress(m, false, 12));
            row(print, "window 9 bits (segments of 512 B)", sizes, d -> m -> d.compress(m, false, 9));
            row(print, "Huffman only (no back-references at all)", sizes, d -> m -> huffmanOnly(huffman, m));
        }
    }

    private static void row(boolean print, String name, int[] sizes,
            Function<MessageDeflater, Function<ByteBuffer, ByteBuffer>> way) {
        StringBuilder line = new StringBuilder("| " + name + " |");
        for (int size : sizes) {
            byte[][] messages = new byte[MESSAGES][];
            long input = 0;
            for (int i = 0; i < MESSAGES; i++) {
                messages[i] = json(size, i);
                input += size;
            }
            MessageDeflater deflater = new MessageDeflater(6);
            Function<ByteBuffer, ByteBuffer> compress = way.apply(deflater);
            long output = 0;
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                output = 0;
                long start = System.nanoTime();
                for (byte[] message : messages) {
                    output += compress.apply(ByteBuffer.wrap(message)).remaining();
                }
                best = Math.min(best, System.nanoTime() - start);
            }
            deflater.close();
            line.append(String.format(" %.2f, %.0f MB/s |", (double) output / input, input * 1e3 / best));
        }
        if (print) {
            System.out.println(line);
        }
    }

    private static ByteBuffer huffmanOnly(Deflater deflater, ByteBuffer message) {
        ByteBuffer out = ByteBuffer.allocate(message.remaining() * 2 + 64);
        deflater.setInput(message);
        while (!deflater.needsInput() || out.position() == 0) {
            deflater.deflate(out, Deflater.SYNC_FLUSH);
        }
        return out.flip().limit(out.limit() - 4);
    }

    /** A seat map update, as the example sends: many small objects with the same keys. */
    static byte[] json(int size, long seed) {
        StringBuilder text = new StringBuilder("[");
        Random random = new Random(seed);
        String[] states = {"free", "held", "sold"};
        while (text.length() < size) {
            text.append("{\"seat\":\"").append((char) ('A' + random.nextInt(10))).append(random.nextInt(16) + 1)
                    .append("\",\"state\":\"").append(states[random.nextInt(3)]).append("\",\"price\":")
                    .append(10 + random.nextInt(40)).append(".50},");
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }
}
