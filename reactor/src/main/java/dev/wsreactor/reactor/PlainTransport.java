package dev.wsreactor.reactor;

import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.OutboundQueue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Plain TCP: the loop's read buffer goes straight to the protocol, and the protocol's queued buffers go straight
 * to the socket in one gathering write. No copy and no memory of its own.
 */
final class PlainTransport implements Transport {

    private final SocketChannel channel;
    private final Connection protocol;
    /** The loop's read buffer, shared by every connection: the protocol consumes all of it before the next read. */
    private final ByteBuffer buffer;
    private final Counters counters;

    PlainTransport(SocketChannel channel, Connection protocol, ByteBuffer loopReadBuffer, Counters counters) {
        this.channel = channel;
        this.protocol = protocol;
        this.buffer = loopReadBuffer;
        this.counters = counters;
    }

    @Override
    public int read(long nowNanos) {
        buffer.clear();
        int n = Transport.readSocket(channel, buffer, counters);
        if (n <= 0) {
            return n == EOF ? EOF : DRAINED;
        }
        buffer.flip();
        protocol.receive(buffer, nowNanos);
        return n < buffer.capacity() ? DRAINED : MORE;
    }

    @Override
    public int resumeInput(long nowNanos) {
        return DRAINED; // nothing is ever kept aside
    }

    @Override
    public int receiveRead(ByteBuffer bytes, long nowNanos) {
        if (bytes.hasRemaining()) {
            protocol.receive(bytes, nowNanos);
        }
        return DRAINED;
    }

    @Override
    public boolean inputAwaitsWrite() {
        return false;
    }

    @Override
    public int write() {
        OutboundQueue output = protocol.output();
        if (output.isEmpty()) {
            return DONE;
        }
        long written;
        try {
            ByteBuffer[] buffers = output.readableBuffers();
            int count = output.readableCount();
            written = count == 1 ? channel.write(buffers[0]) : channel.write(buffers, 0, count);
        } catch (IOException e) {
            output.afterWrite();
            return FAILED; // the peer is gone; what it did not get is reported as a 1006 close
        }
        output.afterWrite();
        counters.add(Counter.BYTES_WRITTEN, written);
        return output.isEmpty() ? DONE : PENDING;
    }

    @Override
    public boolean hasOutput() {
        return !protocol.output().isEmpty();
    }

    @Override
    public long pendingBytes() {
        return protocol.output().pendingBytes();
    }

    @Override
    public long writtenPosition() {
        return protocol.output().writtenTotal();
    }

    @Override
    public long ownedBytes() {
        return protocol.output().ownedBytes();
    }

    @Override
    public int shutdownOutput() {
        try {
            channel.shutdownOutput();
            return DONE;
        } catch (IOException e) {
            return FAILED;
        }
    }

    @Override
    public boolean readBlocked() {
        return false;
    }

    @Override
    public void release() {
        // Nothing of its own: the protocol's output is cleared by the driver.
    }
}
