package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.Connection;
import java.nio.ByteBuffer;
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
 * The sending half of echo: {@link Connection#sendText} (UTF-8 encoded straight into the output buffer) or
 * {@link Connection#sendBinary}, into the connection's output queue, then the queue written out and its buffer
 * given back to the (recycling) pool.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SendBenchmark {

    @Param({"32", "1024"})
    int payload;

    private Connection connection;
    private String text;
    private ByteBuffer data;

    @Setup
    public void setUp() {
        connection = OpenConnections.open(new RecyclingPool(RecyclingPool.SERVER_BUFFER_SIZE),
                new OpenConnections.Silent());
        text = new String(ClientFrames.ascii(payload), StandardCharsets.US_ASCII);
        data = ByteBuffer.allocateDirect(payload).put(ClientFrames.ascii(payload)).flip();
    }

    @Benchmark
    public long text() {
        connection.sendText(text);
        return Sink.writeAll(connection.output());
    }

    @Benchmark
    public long binary() {
        data.position(0);
        connection.sendBinary(data);
        return Sink.writeAll(connection.output());
    }
}
