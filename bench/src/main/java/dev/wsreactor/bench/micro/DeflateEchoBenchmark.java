package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.MessageDeflater;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link EchoBenchmark} with permessage-deflate agreed (the default settings: the shared compressor, level 6): a
 * compressed, masked 1 KiB client message is inflated, (for text) checked and turned into a String, and the echo is
 * compressed again on its way out. The allocation figure is what compression adds to the echo's, both ways.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DeflateEchoBenchmark {

    static final int PAYLOAD = 1024;

    private final OpenConnections.Echo listener = new OpenConnections.Echo();
    private Connection connection;
    private byte[] textFrame;
    private byte[] binaryFrame;
    private ByteBuffer frame; // decoding unmasks in place, so each round starts from a fresh copy of the frame

    @Setup
    public void setUp() {
        connection = OpenConnections.open(new RecyclingPool(RecyclingPool.SERVER_BUFFER_SIZE), listener,
                DeflateConfig.defaults());
        listener.connection = connection;
        textFrame = compressedFrame(Opcode.TEXT, ClientFrames.ascii(PAYLOAD));
        binaryFrame = compressedFrame(Opcode.BINARY, ClientFrames.ascii(PAYLOAD));
        frame = ByteBuffer.allocateDirect(Math.max(textFrame.length, binaryFrame.length)); // what the reactor reads into
        long before = listener.messages;
        long echoed = text() + binary();
        if (listener.messages != before + 2 || echoed >= 2L * PAYLOAD) {
            throw new IllegalStateException("the echo did not come back compressed: " + echoed + " bytes");
        }
    }

    @Benchmark
    public long text() {
        return echo(textFrame);
    }

    @Benchmark
    public long binary() {
        return echo(binaryFrame);
    }

    private long echo(byte[] bytes) {
        frame.clear().put(0, bytes).limit(bytes.length);
        connection.receive(frame, 0L);
        return Sink.writeAll(connection.output());
    }

    /** One final frame with RSV1 set, its payload compressed as a client would (RFC 7692 §7.2.1). */
    private static byte[] compressedFrame(Opcode opcode, byte[] payload) {
        ByteBuffer compressed = new MessageDeflater(6).compress(ByteBuffer.wrap(payload), true);
        byte[] deflated = new byte[compressed.remaining()];
        compressed.get(deflated);
        ByteBuffer frame = ByteBuffer.allocate(ClientFrames.frameLength(deflated.length));
        ClientFrames.putMasked(frame, opcode, DeflateConfig.RSV1, deflated);
        return frame.array();
    }
}
