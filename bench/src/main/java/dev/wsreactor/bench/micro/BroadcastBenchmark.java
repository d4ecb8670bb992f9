package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.internal.FrameEncoder;
import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.OutboundQueue;
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

/**
 * One message to 1000 connections' output queues: encoded once and queued to each as a shared read-only view
 * ({@link OutboundQueue#addShared}, what the server's broadcast does), against encoding it into every queue's
 * own buffer. Both then write every queue out. Reported per broadcast (all 1000 queues), not per queue.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BroadcastBenchmark {

    static final int QUEUES = 1000;

    @Param({"32", "1024"})
    int payload;

    private final OutboundQueue[] queues = new OutboundQueue[QUEUES];
    private final ByteBuffer shared = ByteBuffer.allocateDirect(FrameEncoder.MAX_HEADER_LENGTH + 1024);
    private ByteBuffer data;

    @Setup
    public void setUp() {
        RecyclingPool pool = new RecyclingPool(RecyclingPool.SERVER_BUFFER_SIZE);
        for (int i = 0; i < QUEUES; i++) {
            queues[i] = new OutboundQueue(pool);
        }
        data = ByteBuffer.allocateDirect(payload).put(ClientFrames.ascii(payload)).flip();
    }

    @Benchmark
    public long encodeOnceShared() {
        shared.clear();
        data.position(0);
        FrameEncoder.writeHeader(shared, Opcode.TEXT, true, 0, false, 0, payload);
        shared.put(data).flip();
        for (OutboundQueue queue : queues) {
            queue.addShared(shared);
        }
        return writeAll();
    }

    @Benchmark
    public long encodeEach() {
        int headerLength = FrameEncoder.headerLength(payload, false);
        for (OutboundQueue queue : queues) {
            ByteBuffer dst = queue.reserve(headerLength + payload);
            FrameEncoder.writeHeader(dst, Opcode.TEXT, true, 0, false, 0, payload);
            data.position(0);
            dst.put(data);
            queue.commit(dst);
        }
        return writeAll();
    }

    private long writeAll() {
        long written = 0;
        for (OutboundQueue queue : queues) {
            written += Sink.writeAll(queue);
        }
        return written;
    }
}
