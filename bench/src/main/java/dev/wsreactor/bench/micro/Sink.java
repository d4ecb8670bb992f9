package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.OutboundQueue;
import java.nio.ByteBuffer;

/** Plays the socket: takes everything queued the way the reactor's gathering write does, without copying. */
final class Sink {

    private Sink() {
    }

    /** Marks every queued byte as written, then lets the queue release its buffers; returns the byte count. */
    static long writeAll(OutboundQueue output) {
        ByteBuffer[] buffers = output.readableBuffers();
        int count = output.readableCount();
        long written = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer buffer = buffers[i];
            written += buffer.remaining();
            buffer.position(buffer.limit());
        }
        output.afterWrite();
        return written;
    }
}
