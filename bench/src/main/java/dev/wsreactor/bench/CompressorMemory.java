package dev.wsreactor.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * What a zlib compressor and decompressor cost in resident memory, the figure behind the server's default of one
 * shared compressor: creates many of each, runs one message through every one (zlib allocates lazily), and divides
 * the growth of VmRSS. Linux only (it reads /proc/self/status).
 *
 * <pre>java -cp bench/target/classes dev.wsreactor.bench.CompressorMemory [instances] [message bytes]</pre>
 */
public final class CompressorMemory {

    private CompressorMemory() {
    }

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        byte[] message = seatMapJson(size);
        byte[] out = new byte[2 * size + 1024];
        List<Object> keep = new ArrayList<>();
        System.gc();
        long base = residentKib();
        for (int i = 0; i < instances; i++) {
            Deflater deflater = new Deflater(6, true);
            deflater.setInput(message);
            deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            keep.add(deflater);
        }
        long afterDeflaters = residentKib();
        Deflater one = new Deflater(6, true);
        one.setInput(message);
        byte[] compressed = Arrays.copyOf(out, one.deflate(out, 0, out.length, Deflater.SYNC_FLUSH));
        for (int i = 0; i < instances; i++) {
            Inflater inflater = new Inflater(true);
            inflater.setInput(compressed);
            inflater.inflate(out);
            keep.add(inflater);
        }
        long afterInflaters = residentKib();
        System.out.printf("message of %d bytes, %d instances each%n", size, instances);
        System.out.printf("compressor with context (Deflater, level 6): %.1f KiB RSS each%n",
                (afterDeflaters - base) / (double) instances);
        System.out.printf("decompressor (Inflater): %.1f KiB RSS each%n",
                (afterInflaters - afterDeflaters) / (double) instances);
        System.out.println("(kept " + keep.size() + " objects alive while measuring)");
    }

    private static byte[] seatMapJson(int size) {
        StringBuilder text = new StringBuilder();
        int seat = 0;
        while (text.length() < size) {
            text.append("{\"seat\":\"").append((char) ('A' + seat % 10)).append(seat % 16 + 1)
                    .append("\",\"state\":\"sold\"},");
            seat += 7;
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static long residentKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
