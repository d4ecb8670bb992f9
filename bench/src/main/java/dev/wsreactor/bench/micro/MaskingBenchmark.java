package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.internal.Masking;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** §5.3 unmasking in place: eight bytes at a time (what the decoder uses) against the byte-by-byte definition. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MaskingBenchmark {

    @Param({"16", "125", "1024", "65536"})
    int size;

    @Param({"heap", "direct"})
    String buffer;

    private ByteBuffer payload;

    @Setup
    public void setUp() {
        payload = ClientFrames.allocate(buffer, size);
        byte[] random = new byte[size];
        ThreadLocalRandom.current().nextBytes(random);
        payload.put(random).flip();
    }

    @Benchmark
    public int wordwise() {
        return Masking.unmask(payload, 0, size, ClientFrames.MASK_KEY, 0);
    }

    @Benchmark
    public int bytewise() {
        return Masking.unmaskBytewise(payload, 0, size, ClientFrames.MASK_KEY, 0);
    }
}
