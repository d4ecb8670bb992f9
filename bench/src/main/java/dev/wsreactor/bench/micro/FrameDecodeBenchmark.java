package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.internal.FrameDecoder;
import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.internal.ProtocolViolation;
import dev.wsreactor.protocol.Role;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link FrameDecoder#decode} of one masked client binary frame per buffer: header parsing, unmasking in place,
 * and handing the payload out as a view. The buffer is decoded again each time (see {@link ClientFrames#MASK_KEY}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameDecodeBenchmark {

    @Param({"16", "125", "1024", "65536"})
    int payload;

    @Param({"heap", "direct"})
    String buffer;

    private final FrameDecoder decoder = new FrameDecoder(Role.SERVER, Long.MAX_VALUE, Long.MAX_VALUE, 0);
    private final ConsumingListener listener = new ConsumingListener();
    private ByteBuffer frame;

    @Setup
    public void setUp() {
        frame = ClientFrames.masked(buffer, Opcode.BINARY, ClientFrames.ascii(payload), 1);
    }

    @Benchmark
    public ProtocolViolation oneFrame(Blackhole blackhole) {
        listener.blackhole = blackhole;
        frame.position(0);
        return decoder.decode(frame, listener);
    }
}
