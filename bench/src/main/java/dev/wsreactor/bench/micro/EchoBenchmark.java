package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.internal.Opcode;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * One echo round trip through {@link Connection}, as the echo server runs it minus the socket: a masked 32-byte
 * client frame arrives ({@code receive}), is decoded, unmasked, (for text) UTF-8-checked and turned into a String,
 * the listener sends it back, and the reply is taken from the output queue the way a gathering write does.
 * Output buffers come from a recycling pool, as in the server, so the allocation figure is the protocol's own.
 * The reactor reads into a direct buffer; a heap input is measured too.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EchoBenchmark {

    static final int PAYLOAD = 32;

    @Param({"direct", "heap"})
    String input;

    private final OpenConnections.Echo listener = new OpenConnections.Echo();
    private Connection connection;
    private ByteBuffer textFrame;
    private ByteBuffer binaryFrame;

    @Setup
    public void setUp() {
        connection = OpenConnections.open(new RecyclingPool(RecyclingPool.SERVER_BUFFER_SIZE), listener);
        listener.connection = connection;
        textFrame = ClientFrames.masked(input, Opcode.TEXT, ClientFrames.ascii(PAYLOAD), 1);
        binaryFrame = ClientFrames.masked(input, Opcode.BINARY, ClientFrames.ascii(PAYLOAD), 1);
        long before = listener.messages;
        if (text() != 2 + PAYLOAD || binary() != 2 + PAYLOAD || listener.messages != before + 2) {
            throw new IllegalStateException("the echo did not come back whole");
        }
    }

    @Benchmark
    public long text() {
        textFrame.position(0);
        connection.receive(textFrame, 0L);
        return Sink.writeAll(connection.output());
    }

    @Benchmark
    public long binary() {
        binaryFrame.position(0);
        connection.receive(binaryFrame, 0L);
        return Sink.writeAll(connection.output());
    }

    @TearDown
    public void checkStillOpen() {
        if (!connection.output().isEmpty()) {
            throw new IllegalStateException("output left behind");
        }
    }
}
