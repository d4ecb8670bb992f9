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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link FrameDecoder#decode} of one buffer holding 64 masked binary frames of 32 bytes each, as one socket read
 * of a chatty client delivers them. Reported per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameBatchDecodeBenchmark {

    static final int FRAMES = 64;

    @Param({"heap", "direct"})
    String buffer;

    private final FrameDecoder decoder = new FrameDecoder(Role.SERVER, Long.MAX_VALUE, Long.MAX_VALUE, 0);
    private final ConsumingListener listener = new ConsumingListener();
    private ByteBuffer frames;

    @Setup
    public void setUp() {
        frames = ClientFrames.masked(buffer, Opcode.BINARY, ClientFrames.ascii(32), FRAMES);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public ProtocolViolation frames64x32Bytes(Blackhole blackhole) {
        listener.blackhole = blackhole;
        frames.position(0);
        return decoder.decode(frames, listener);
    }
}
