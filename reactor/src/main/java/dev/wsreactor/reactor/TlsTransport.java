package dev.wsreactor.reactor;

import dev.wsreactor.protocol.Connection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * TLS between the socket and the protocol, never blocking: the socket side of one connection, around its
 * {@link TlsEngine}.
 *
 * <p>Reading: ciphertext lands in the loop's TLS read buffer (after the half record kept from the last read, if
 * any), the engine unwraps every whole record in it into the protocol, and a trailing half record is kept in a
 * pooled buffer until the rest arrives. Many records in one read and one record spread over many reads both work,
 * byte by byte if need be.
 *
 * <p>Writing: the engine wraps the protocol's queued buffers (its frames, or shared broadcast frames, which stay
 * untouched) into the loop's write buffer (room for two full records), which is written at once; only what the
 * socket does not take is copied to a pooled buffer, where it stays until OP_WRITE. Writing never reads: when
 * the handshake had to send before it could read on and the socket did not take it all, the input waits
 * ({@link State#INPUT_AWAITS_WRITE}) and the driver resumes it after the write.
 *
 * <p>Failures: any {@link SSLException} (plain HTTP or garbage on the port, a bad certificate, a renegotiation
 * attempt) ends this connection alone: logged at debug, the engine's alert sent if the socket takes it, released.
 */
final class TlsTransport implements Transport {

    /** Where the transport's own side stands (the session's is the engine's {@link TlsEngine.Phase}). */
    private enum State {
        /** Reads go on whenever the socket has bytes. */
        ACTIVE,
        /** Unwrapping stopped because a handshake message could not be written; it goes on after a write. */
        INPUT_AWAITS_WRITE,
        /** Every buffer is given back; nothing more is kept. */
        RELEASED
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Rounds of wrap-and-write per call, so one connection with a lot to send does not hold up the loop. */
    private static final int FLUSH_ROUNDS = 16;

    private final long id;
    private final SocketChannel channel;
    private final Connection protocol;
    private final TlsSupport tls;
    private final Counters counters;
    private final TlsEngine engine;
    private State state = State.ACTIVE;
    /** Ciphertext read but not unwrapped yet (half a record; more after a paused handshake), or null. Read mode. */
    private ByteBuffer netIn;
    /** Ciphertext wrapped but not written yet, or null. Read mode. */
    private ByteBuffer netOut;
    /** The TLS failure that ended the connection, or null: a client's future reports it. */
    private SSLException failure;
    /** The protocol's output wrapped into records that have all been written: see {@link #writtenPosition()}. */
    private long plaintextOnSocket;

    /**
     * {@code resumeInput} runs on the loop once handshake tasks that went to the executor are done; {@code server}
     * is the server a client's connection talks to, null on a server.
     */
    TlsTransport(long id, SocketChannel channel, Connection protocol, TlsSupport tls, ClientTarget server, Loop loop,
            Runnable resumeInput) {
        this.id = id;
        this.channel = channel;
        this.protocol = protocol;
        this.tls = tls;
        this.counters = loop.counters();
        this.engine = new TlsEngine(protocol, tls, server, loop, resumeInput);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading

    @Override
    public int read(long nowNanos) {
        if (engine.phase() == TlsEngine.Phase.TASK_RUNNING) {
            return DRAINED;
        }
        ByteBuffer buffer = tls.readBuffer;
        buffer.clear();
        if (netIn != null) {
            buffer.put(netIn);
            releaseNetIn();
        }
        int n = Transport.readSocket(channel, buffer, counters);
        if (n == EOF) {
            return EOF; // without close_notify: a truncation, but nothing was lost that the protocol relies on
        }
        boolean filled = !buffer.hasRemaining();
        buffer.flip();
        int outcome = n == 0 && state != State.INPUT_AWAITS_WRITE ? DRAINED : unwrapAll(buffer, nowNanos);
        keepRest(buffer);
        if (outcome == EOF) {
            return EOF;
        }
        return filled ? MORE : DRAINED;
    }

    @Override
    public int resumeInput(long nowNanos) {
        ByteBuffer src = netIn;
        netIn = null;
        if (src == null) {
            src = EMPTY;
        }
        int outcome = unwrapAll(src, nowNanos);
        keepRest(src);
        if (src != EMPTY) {
            engine.giveBack(src);
        }
        return outcome;
    }

    @Override
    public int receiveRead(ByteBuffer bytes, long nowNanos) {
        keepRest(bytes); // the first records: kept as a half record would be, then unwrapped
        return netIn == null ? DRAINED : resumeInput(nowNanos);
    }

    @Override
    public boolean inputAwaitsWrite() {
        return state == State.INPUT_AWAITS_WRITE && engine.phase() != TlsEngine.Phase.TASK_RUNNING;
    }

    /**
     * Unwraps every whole record in {@code src} into the protocol, writing the handshake's messages on the way.
     * Stops at a half record, at a task running elsewhere, or when a handshake message cannot be written now.
     * Returns {@link #EOF} when the connection is over (close_notify or a TLS failure).
     */
    private int unwrapAll(ByteBuffer src, long nowNanos) {
        if (state == State.INPUT_AWAITS_WRITE) {
            state = State.ACTIVE;
        }
        tls.appIn.clear();
        try {
            for (int guard = 0; ; guard++) {
                if (guard > 100_000) {
                    throw new IllegalStateException("the TLS handshake makes no progress");
                }
                TlsEngine.Stop stop = engine.unwrap(src, nowNanos);
                if (stop == TlsEngine.Stop.PEER_CLOSED) {
                    closeQuietly(); // answer with our close_notify, and end it like an EOF
                    return EOF;
                }
                if (stop != TlsEngine.Stop.NEEDS_WRAP) {
                    break;
                }
                int written = flush();
                if (written == FAILED) {
                    tls.appIn.clear();
                    return EOF;
                }
                if (written == PENDING || engine.needsWrap()) {
                    state = State.INPUT_AWAITS_WRITE; // the socket is full: go on once it took our handshake bytes
                    break;
                }
            }
            engine.deliver(nowNanos);
            return DRAINED;
        } catch (SSLException e) {
            tls.appIn.clear(); // nothing from a connection that failed reaches the application
            failed(e);
            return EOF;
        }
    }

    /** Keeps what is left of {@code src} (the loop's buffer or our own) for the next round. */
    private void keepRest(ByteBuffer src) {
        if (!src.hasRemaining() || state == State.RELEASED) {
            return;
        }
        netIn = keep(src);
    }

    /** A copy of what remains of {@code src} in a buffer of this connection's own, pooled where it fits. */
    private ByteBuffer keep(ByteBuffer src) {
        int size = src.remaining();
        ByteBuffer own = size <= tls.netPool.bufferSize() ? tls.netPool.acquire() : TlsSupport.allocate(size);
        return own.put(src).flip();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writing

    @Override
    public int write() {
        try {
            return flush();
        } catch (SSLException e) {
            failed(e);
            return FAILED;
        }
    }

    /** Writes what is wrapped, wraps more, writes again, while the socket takes it. */
    private int flush() throws SSLException {
        for (int round = 0; round < FLUSH_ROUNDS; round++) {
            if (netOut != null) {
                int outcome = writeRecords(netOut);
                if (outcome != DONE) {
                    return outcome;
                }
                releaseNetOut();
            }
            ByteBuffer records = engine.wrap(); // the loop's buffer: only this call may use it
            if (records == null) {
                return DONE;
            }
            int outcome = writeRecords(records);
            if (outcome == PENDING) {
                netOut = keep(records);
            }
            if (outcome != DONE) {
                return outcome;
            }
        }
        return PENDING; // more to do: OP_WRITE brings us back once the others had their turn
    }

    /** Writes {@code records}: {@link #DONE} when the socket took them all, {@link #PENDING} when it is full. */
    private int writeRecords(ByteBuffer records) {
        try {
            counters.add(Counter.BYTES_WRITTEN, channel.write(records));
        } catch (IOException e) {
            return FAILED;
        }
        if (records.hasRemaining()) {
            return PENDING;
        }
        plaintextOnSocket = protocol.output().writtenTotal(); // all that was wrapped so far is out
        return DONE;
    }

    @Override
    public boolean hasOutput() {
        return netOut != null || !protocol.output().isEmpty() || engine.needsWrap();
    }

    @Override
    public long pendingBytes() {
        return protocol.output().pendingBytes() + (netOut == null ? 0 : netOut.remaining());
    }

    @Override
    public long writtenPosition() {
        return plaintextOnSocket;
    }

    @Override
    public long ownedBytes() {
        return protocol.output().ownedBytes() + (netOut == null ? 0 : netOut.remaining());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Closing

    @Override
    public int shutdownOutput() {
        if (engine.phase() == TlsEngine.Phase.TASK_RUNNING) {
            // Still in the handshake, with the engine busy elsewhere: there is no session to close, only TCP.
            return shutdownTcp();
        }
        if (engine.phase() != TlsEngine.Phase.CLOSING) {
            engine.closeOutbound();
        }
        int outcome = write();
        return outcome == DONE ? shutdownTcp() : outcome;
    }

    private int shutdownTcp() {
        try {
            channel.shutdownOutput();
            return DONE;
        } catch (IOException e) {
            return FAILED;
        }
    }

    SSLException failure() {
        return failure;
    }

    /** One TLS failure: count it, log it at debug, and try once, without waiting, to send the engine's alert. */
    private void failed(SSLException e) {
        failure = e;
        counters.increment(Counter.TLS_FAILURES);
        ReactorLog.debug(() -> "connection " + id + ": TLS failure, closing it: " + e.getMessage());
        closeQuietly();
    }

    /** Our close_notify (or the pending alert), written if the socket takes it now; never throws. */
    private void closeQuietly() {
        try {
            engine.closeOutbound();
            if (engine.phase() != TlsEngine.Phase.TASK_RUNNING) {
                flush();
            }
        } catch (SSLException | RuntimeException ignored) {
            // Best effort: the connection is being dropped anyway.
        }
    }

    @Override
    public boolean readBlocked() {
        return engine.phase() == TlsEngine.Phase.TASK_RUNNING;
    }

    @Override
    public void release() {
        state = State.RELEASED;
        releaseNetIn();
        releaseNetOut();
    }

    @Override
    public SSLSession tlsSession() {
        return engine.session();
    }

    private void releaseNetIn() {
        if (netIn != null) {
            engine.giveBack(netIn);
            netIn = null;
        }
    }

    private void releaseNetOut() {
        if (netOut != null) {
            engine.giveBack(netOut);
            netOut = null;
        }
    }
}
