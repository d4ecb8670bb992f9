package dev.wsreactor.reactor;

import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.OutboundQueue;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * TLS between the socket and the protocol, driven by an {@link SSLEngine} and never blocking.
 *
 * <p>Reading: ciphertext lands in the loop's TLS read buffer (after the half record kept from the last read, if
 * any), every whole record in it is unwrapped into the reactor's {@link TlsSupport#appIn} and handed to the
 * protocol, and a trailing half record is kept in a pooled buffer until the rest arrives. Many records in one
 * read and one record spread over many reads both work, byte by byte if need be.
 *
 * <p>Writing: the protocol's queued buffers (its frames, or shared broadcast frames, which stay untouched) are
 * wrapped with one gathering {@code wrap} per record into a pooled buffer (room for two full records), which is
 * written at once; only what the
 * socket does not take stays, until OP_WRITE.
 *
 * <p>The handshake runs in the same two paths: NEED_WRAP writes, NEED_UNWRAP waits for the next read, NEED_TASK
 * runs the engine's tasks inline (their CPU time is counted) or on an executor, in which case the socket is not
 * read until the loop resumes the connection.
 *
 * <p>Failures: any {@link SSLException} (plain HTTP or garbage on the port, a bad certificate, a renegotiation
 * attempt) ends this connection alone: logged at debug, the engine's alert sent if the socket takes it, released.
 */
final class TlsTransport implements Transport {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final ByteBuffer[] NOTHING = {EMPTY};
    /** Rounds of wrap-and-write per call, so one connection with a lot to send does not hold up the loop. */
    private static final int FLUSH_ROUNDS = 16;

    private final ReactorConnection rc;
    private final SocketChannel channel;
    private final Connection protocol;
    private final TlsSupport tls;
    private final Counters counters;
    private final SSLEngine engine;

    /** Ciphertext read but not unwrapped yet (half a record; more after a paused handshake), or null. Read mode. */
    private ByteBuffer netIn;
    /** Ciphertext wrapped but not written yet, or null. Read mode. */
    private ByteBuffer netOut;
    private boolean handshakeDone;
    /** A delegated task runs on the executor: nothing is unwrapped or wrapped until the loop resumes us. */
    private boolean taskRunning;
    /** Unwrapping stopped because a handshake message could not be written; it goes on after a write. */
    private boolean inputStalled;
    /** We called closeOutbound: handshake statuses from now on are the closing's, not a renegotiation. */
    private boolean closing;
    private boolean released;
    private volatile SSLSession session;

    TlsTransport(ReactorConnection rc, SocketChannel channel, TlsSupport tls, Counters counters) {
        this.rc = rc;
        this.channel = channel;
        this.protocol = rc.protocol;
        this.tls = tls;
        this.counters = counters;
        this.engine = tls.newEngine();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading

    @Override
    public int read(ByteBuffer reactorBuffer, long nowNanos) {
        if (taskRunning) {
            return DRAINED;
        }
        ByteBuffer buffer = tls.readBuffer;
        buffer.clear();
        if (netIn != null) {
            buffer.put(netIn);
            releaseNetIn();
        }
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            return EOF;
        }
        if (n < 0) {
            return EOF; // without close_notify: a truncation, but nothing was lost that the protocol relies on
        }
        counters.bytesRead += n;
        boolean filled = !buffer.hasRemaining();
        buffer.flip();
        int outcome = n == 0 && !inputStalled ? DRAINED : unwrapAll(buffer, nowNanos);
        keepRest(buffer);
        if (outcome == EOF) {
            return EOF;
        }
        return filled ? MORE : DRAINED;
    }

    /**
     * Unwraps every whole record in {@code src} and hands the plaintext to the protocol, doing the handshake's
     * wraps and tasks on the way. Stops at a half record, at a task running elsewhere, or when a handshake message
     * cannot be written now. Returns {@link #EOF} when the connection is over (close_notify or a TLS failure).
     */
    private int unwrapAll(ByteBuffer src, long nowNanos) {
        inputStalled = false;
        ByteBuffer app = tls.appIn;
        app.clear();
        try {
            for (int guard = 0; ; guard++) {
                if (guard > 100_000) {
                    throw new IllegalStateException("the TLS engine makes no progress");
                }
                HandshakeStatus status = engine.getHandshakeStatus();
                if (status == HandshakeStatus.NEED_TASK) {
                    if (!runTasks()) {
                        break; // resumed by the loop when the tasks are done
                    }
                    continue;
                }
                if (status == HandshakeStatus.NEED_WRAP) {
                    int written = flush();
                    if (written == FAILED) {
                        app.clear();
                        return EOF;
                    }
                    if (written == PENDING || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        inputStalled = true; // the socket is full: go on once it took our handshake bytes
                        break;
                    }
                    continue;
                }
                if (!src.hasRemaining()) {
                    break;
                }
                SSLEngineResult result = engine.unwrap(src, app);
                if (result.getStatus() != SSLEngineResult.Status.CLOSED) {
                    // (a close_notify asks for ours, NEED_WRAP, which is no renegotiation)
                    handshakeProgress(result.getHandshakeStatus(), true);
                }
                switch (result.getStatus()) {
                    case OK -> {
                        if (app.remaining() < tls.appSize) {
                            app = deliver(app, nowNanos);
                        }
                        if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                                && engine.getHandshakeStatus() == status) {
                            return finish(app, nowNanos); // nothing moved: wait for more bytes
                        }
                    }
                    case BUFFER_UNDERFLOW -> {
                        return finish(app, nowNanos); // half a record: the rest comes with a later read
                    }
                    case BUFFER_OVERFLOW -> {
                        if (app.position() > 0) {
                            app = deliver(app, nowNanos);
                        } else {
                            app = tls.growAppIn(engine.getSession().getApplicationBufferSize());
                        }
                    }
                    case CLOSED -> {
                        // The peer's close_notify: it sends nothing more. Answer with ours and end it like an EOF.
                        deliver(app, nowNanos);
                        closeQuietly();
                        return EOF;
                    }
                }
            }
            return finish(app, nowNanos);
        } catch (SSLException e) {
            app.clear(); // nothing from a connection that failed reaches the application
            failed(e);
            return EOF;
        }
    }

    private int finish(ByteBuffer app, long nowNanos) {
        if (app.position() > 0) {
            deliver(app, nowNanos);
        }
        return DRAINED;
    }

    /** Hands the decrypted bytes to the protocol, which consumes them all; returns the (current) empty buffer. */
    private ByteBuffer deliver(ByteBuffer app, long nowNanos) {
        app.flip();
        if (app.hasRemaining()) {
            protocol.receive(app, nowNanos);
        }
        app.clear();
        return tls.appIn;
    }

    /** Keeps what is left of {@code src} (the reactor's buffer or our own) for the next round. */
    private void keepRest(ByteBuffer src) {
        if (!src.hasRemaining() || released) {
            return;
        }
        int size = src.remaining();
        ByteBuffer keep = size <= tls.netPool.bufferSize() ? tls.netPool.acquire() : TlsSupport.allocate(size);
        netIn = keep.put(src).flip();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The handshake

    /**
     * Notes what the engine says about the handshake: the first FINISHED opens the session; a new handshake after
     * it is a TLS 1.2 renegotiation, which we refuse (TLS 1.3 has none; its KeyUpdate is not a handshake).
     */
    private void handshakeProgress(HandshakeStatus status, boolean afterUnwrap) throws SSLException {
        if (status == HandshakeStatus.FINISHED) {
            if (!handshakeDone) {
                handshakeDone = true;
                session = engine.getSession();
                counters.tlsHandshakes++;
            }
            return;
        }
        if (afterUnwrap && handshakeDone && !closing && status != HandshakeStatus.NOT_HANDSHAKING
                && "TLSv1.2".equals(engine.getSession().getProtocol())) {
            throw new SSLHandshakeException("renegotiation refused");
        }
    }

    /**
     * Runs the engine's delegated tasks. Inline: runs them and returns true. With an executor: hands them over,
     * stops reading, and returns false; the loop resumes this connection when they are done.
     */
    private boolean runTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            tasks.add(task);
        }
        if (tls.taskExecutor != null) {
            taskRunning = true;
            try {
                tls.taskExecutor.execute(() -> {
                    long start = TlsSupport.cpuNanos();
                    runAll(tasks);
                    long cpu = TlsSupport.cpuNanos() - start;
                    rc.reactor.execute(() -> resume(cpu));
                });
                return false;
            } catch (RejectedExecutionException e) {
                taskRunning = false; // the executor is shutting down or full: do it here
            }
        }
        long start = TlsSupport.cpuNanos();
        runAll(tasks);
        counters.tlsTaskNanos += TlsSupport.cpuNanos() - start;
        return true;
    }

    private static void runAll(List<Runnable> tasks) {
        for (Runnable task : tasks) {
            task.run(); // a failing task leaves the engine failed: the next wrap or unwrap throws SSLException
        }
    }

    /** On the loop, after the executor ran our tasks: go on with what was read meanwhile kept aside. */
    private void resume(long cpuNanos) {
        counters.tlsTaskNanos += cpuNanos;
        taskRunning = false;
        if (released) {
            return;
        }
        rc.reactor.resume(rc);
    }

    /** Continues unwrapping what is kept (called by the reactor, which settles the connection after). */
    int resumeInput(long nowNanos) {
        ByteBuffer src = netIn;
        netIn = null;
        if (src == null) {
            src = EMPTY;
        }
        int outcome = unwrapAll(src, nowNanos);
        keepRest(src);
        if (src != EMPTY) {
            giveBack(src);
        }
        return outcome;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writing

    @Override
    public int write() {
        int outcome = flushOrFail();
        if (outcome == DONE && inputStalled && !taskRunning) {
            // A handshake message had waited for the socket: what was read after it can go on now.
            if (resumeInput(rc.reactor.now()) == EOF) {
                return FAILED;
            }
            outcome = flushOrFail();
        }
        return outcome;
    }

    /** {@link #flush}, with a TLS failure counted, logged and reported as FAILED. */
    private int flushOrFail() {
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
                try {
                    counters.bytesWritten += channel.write(netOut);
                } catch (IOException e) {
                    return FAILED;
                }
                if (netOut.hasRemaining()) {
                    return PENDING;
                }
                releaseNetOut();
            }
            if (!wrapMore()) {
                return DONE;
            }
        }
        return PENDING; // more to do: OP_WRITE brings us back once the others had their turn
    }

    /** Wraps into a fresh buffer what the engine has to send; returns whether it produced anything. */
    private boolean wrapMore() throws SSLException {
        if (taskRunning) {
            return false;
        }
        OutboundQueue output = protocol.output();
        ByteBuffer dst = null;
        loop:
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                if (!runTasks()) {
                    break;
                }
                continue;
            }
            boolean application = status == HandshakeStatus.NOT_HANDSHAKING && !output.isEmpty()
                    && !engine.isOutboundDone();
            if (status != HandshakeStatus.NEED_WRAP && !application) {
                break;
            }
            if (dst == null) {
                dst = tls.netPool.acquire();
            }
            SSLEngineResult result;
            if (application) {
                ByteBuffer[] buffers = output.readableBuffers();
                try {
                    result = engine.wrap(buffers, 0, output.readableCount(), dst);
                } finally {
                    output.afterWrite(); // gives back the protocol's buffers now encrypted
                }
            } else {
                result = engine.wrap(NOTHING, dst);
            }
            handshakeProgress(result.getHandshakeStatus(), false);
            switch (result.getStatus()) {
                case OK -> {
                    if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                        break loop;
                    }
                }
                case BUFFER_OVERFLOW -> {
                    if (dst.position() > 0) {
                        break loop; // full: write this first
                    }
                    // The session wants larger records than our pooled buffers hold: one bigger buffer.
                    giveBack(dst);
                    dst = TlsSupport.allocate(engine.getSession().getPacketBufferSize());
                }
                default -> {
                    break loop; // CLOSED: close_notify (or an alert) was the last record
                }
            }
        }
        if (dst == null) {
            return false;
        }
        dst.flip();
        if (!dst.hasRemaining()) {
            giveBack(dst);
            return false;
        }
        netOut = dst;
        return true;
    }

    @Override
    public boolean hasOutput() {
        return netOut != null || !protocol.output().isEmpty()
                || (!taskRunning && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP);
    }

    @Override
    public long pendingBytes() {
        return protocol.output().pendingBytes() + (netOut == null ? 0 : netOut.remaining());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Closing

    @Override
    public int shutdownOutput() {
        if (taskRunning) {
            // Still in the handshake, with the engine busy elsewhere: there is no session to close, only TCP.
            return shutdownTcp();
        }
        if (!closing) {
            closing = true;
            engine.closeOutbound(); // the next wrap is our close_notify
        }
        int outcome = flushOrFail();
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

    /** One TLS failure: count it, log it at debug, and try once, without waiting, to send the engine's alert. */
    private void failed(SSLException e) {
        counters.tlsFailures++;
        Reactor.LOG.log(Level.DEBUG, () -> "connection " + rc.id + ": TLS failure, closing it: " + e.getMessage());
        closeQuietly();
    }

    /** Our close_notify (or the pending alert), written if the socket takes it now; never throws. */
    private void closeQuietly() {
        closing = true;
        try {
            engine.closeOutbound();
            if (!taskRunning) {
                flush();
            }
        } catch (SSLException | RuntimeException ignored) {
            // Best effort: the connection is being dropped anyway.
        }
    }

    @Override
    public boolean readBlocked() {
        return taskRunning;
    }

    @Override
    public void release() {
        released = true;
        releaseNetIn();
        releaseNetOut();
    }

    @Override
    public SSLSession tlsSession() {
        return session;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Buffers

    private void releaseNetIn() {
        if (netIn != null) {
            giveBack(netIn);
            netIn = null;
        }
    }

    private void releaseNetOut() {
        if (netOut != null) {
            giveBack(netOut);
            netOut = null;
        }
    }

    /** Returns a pooled buffer; one allocated outside the pool (an odd size) is left to the garbage collector. */
    private void giveBack(ByteBuffer buffer) {
        if (buffer.capacity() == tls.netPool.bufferSize()) {
            tls.netPool.release(buffer);
        }
    }
}
