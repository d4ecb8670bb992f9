package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.Connection;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * The 64 KiB binary echo of {@code make bench}'s bandwidth scenario through {@link Connection}, minus the socket: the
 * masked frame (65,550 bytes) arrives as the reactor reads it, in a first read of 64 KiB (the loop's read buffer)
 * and a second of the last 14 bytes, so its payload straddles two reads and is put together; the listener sends it
 * back, and the reply is taken from the output queue the way a gathering write does. Output and message buffers
 * come from a recycling pool, as in the server, so the allocation figure is the protocol's own. {@code send}:
 * {@code copy} is {@code sendBinary} (the payload copied into the output), {@code kept} is {@code keep} and
 * {@code sendKept} (the assembled buffer itself handed to the output), as the echo server does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LargeEchoBenchmark {

    static final int PAYLOAD = 64 * 1024;
    static final int READ_BUFFER = 64 * 1024; // the reactor's

    @Param({"copy", "kept"})
    String send;

    private final OpenConnections.Echo listener = new OpenConnections.Echo();
    private Connection connection;
    private ByteBuffer frame;
    private long expected;

    @Setup
    public void setUp() {
        connection = OpenConnections.open(new RecyclingPool(RecyclingPool.SERVER_BUFFER_SIZE), listener);
        listener.connection = connection;
        listener.keep = send.equals("kept");
        frame = ClientFrames.masked("direct", Opcode.BINARY, ClientFrames.ascii(PAYLOAD), 1);
        expected = 10 + PAYLOAD; // the server's header: 2 bytes, then the 64-bit length
        long before = listener.messages;
        if (echo() != expected || listener.messages != before + 1) {
            throw new IllegalStateException("the echo did not come back whole");
        }
    }

    @Benchmark
    public long echo() {
        frame.limit(READ_BUFFER).position(0);
        connection.receive(frame, 0L);
        frame.limit(frame.capacity());
        connection.receive(frame, 0L);
        return Sink.writeAll(connection.output());
    }

    @TearDown
    public void checkStillOpen() {
        if (!connection.output().isEmpty()) {
            throw new IllegalStateException("output left behind");
        }
    }
}
