package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.internal.FrameEncoder;
import dev.wsreactor.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A server frame written by hand: {@link FrameEncoder#writeHeader} and the payload copied after it, into a direct buffer. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameEncodeBenchmark {

    @Param({"32", "1024"})
    int payload;

    @Param({"heap", "direct"})
    String source;

    private ByteBuffer data;
    private final ByteBuffer out = ByteBuffer.allocateDirect(RecyclingPool.SERVER_BUFFER_SIZE);

    @Setup
    public void setUp() {
        data = ClientFrames.allocate(source, payload).put(ClientFrames.ascii(payload)).flip();
    }

    @Benchmark
    public int headerAndPayload() {
        out.clear();
        data.position(0);
        FrameEncoder.writeHeader(out, Opcode.BINARY, true, 0, false, 0, payload);
        out.put(data);
        return out.position();
    }
}
