package dev.wsreactor.reactor;

import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.OutboundQueue;
import java.nio.ByteBuffer;
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
 * One connection's {@link SSLEngine}, stepped without a socket: {@link #unwrap} turns whole records into plaintext
 * for the protocol until it has to stop, {@link #wrap} turns what is to send into records. Where the TLS session
 * stands is one {@link Phase}. {@link TlsTransport} moves the bytes between these steps and the socket.
 *
 * <p>Handshake tasks run inline (their CPU time is counted) or on an executor; then the phase is
 * {@link Phase#TASK_RUNNING} until the loop hears they are done, and nothing is wrapped or unwrapped meanwhile.
 *
 * <p>Once the session is {@link Phase#OPEN}, the engine's handshake status is taken from the result of each wrap
 * and unwrap rather than asked for on every step (each question takes the engine's lock): only those calls, the
 * tasks and closing change it.
 */
final class TlsEngine {

    /** Where the TLS session stands. */
    enum Phase {
        /** The handshake runs here, record by record. */
        HANDSHAKING,
        /** The engine's delegated tasks run on the executor: no wrap or unwrap until the loop resumes it. */
        TASK_RUNNING,
        /** The handshake is done: application data both ways; a TLS 1.2 renegotiation is refused. */
        OPEN,
        /** Our close_notify is queued: handshake statuses from now on are the closing's, not a renegotiation. */
        CLOSING
    }

    /** Why {@link #unwrap} stopped. */
    enum Stop {
        /** Every whole record is unwrapped: the rest comes with a later read. */
        NEEDS_BYTES,
        /** The handshake must send before it can read on: flush, then unwrap again. */
        NEEDS_WRAP,
        /** Handshake tasks went to the executor: the loop resumes the input when they are done. */
        TASK_RUNNING,
        /** The peer's close_notify: it sends nothing more. */
        PEER_CLOSED
    }

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final SSLEngine engine;
    private final Connection protocol;
    private final TlsSupport tls;
    private final Loop loop;
    private final Counters counters;
    private final Runnable onTasksDone;
    private Phase phase = Phase.HANDSHAKING;
    /** The engine's handshake status after our last call into it; trusted only while {@link Phase#OPEN}. */
    private HandshakeStatus status = HandshakeStatus.NOT_HANDSHAKING;
    /** The phase to go back to once the executor's tasks are done. */
    private Phase afterTasks;
    private volatile SSLSession session;

    /**
     * {@code onTasksDone} runs on the loop once handshake tasks that went to the executor are done; {@code server}
     * is the server a client's engine talks to, null on a server.
     */
    TlsEngine(Connection protocol, TlsSupport tls, ClientTarget server, Loop loop, Runnable onTasksDone) {
        this.engine = tls.newEngine(server);
        this.protocol = protocol;
        this.tls = tls;
        this.loop = loop;
        this.counters = loop.counters();
        this.onTasksDone = onTasksDone;
    }

    Phase phase() {
        return phase;
    }

    /** The TLS session once the handshake is done, or null; read from any thread. */
    SSLSession session() {
        return session;
    }

    /** Whether the engine has records of its own to send now (handshake or alert). */
    boolean needsWrap() {
        return phase != Phase.TASK_RUNNING && handshakeStatus() == HandshakeStatus.NEED_WRAP;
    }

    /** The engine's handshake status: remembered while the session is open, asked for otherwise. */
    private HandshakeStatus handshakeStatus() {
        if (phase != Phase.OPEN) {
            status = engine.getHandshakeStatus();
        }
        return status;
    }

    /** Remembers the status a wrap or unwrap ended with; FINISHED is a one-time notice, so the engine is asked. */
    private void noteStatus(SSLEngineResult result) {
        HandshakeStatus after = result.getHandshakeStatus();
        status = after == HandshakeStatus.FINISHED ? engine.getHandshakeStatus() : after;
    }

    /**
     * Unwraps whole records from {@code src} into {@link TlsSupport#appIn}, handing the plaintext to the protocol
     * whenever the buffer is nearly full and running the handshake's tasks on the way, until it has to stop. What
     * is left in {@code appIn} is the caller's to {@link #deliver} when it is done.
     */
    Stop unwrap(ByteBuffer src, long nowNanos) throws SSLException {
        for (int guard = 0; ; guard++) {
            if (guard > 100_000) {
                throw new IllegalStateException("the TLS engine makes no progress");
            }
            HandshakeStatus before = handshakeStatus();
            if (before == HandshakeStatus.NEED_TASK) {
                if (!runTasks()) {
                    return Stop.TASK_RUNNING;
                }
                continue;
            }
            if (before == HandshakeStatus.NEED_WRAP) {
                return Stop.NEEDS_WRAP;
            }
            if (!src.hasRemaining()) {
                return Stop.NEEDS_BYTES;
            }
            ByteBuffer app = tls.appIn;
            SSLEngineResult result = engine.unwrap(src, app);
            noteStatus(result);
            if (result.getStatus() != SSLEngineResult.Status.CLOSED) {
                // (a close_notify asks for ours, NEED_WRAP, which is no renegotiation)
                handshakeProgress(result.getHandshakeStatus(), true);
            }
            switch (result.getStatus()) {
                case OK -> {
                    if (app.remaining() < tls.appSize) {
                        deliver(nowNanos);
                    }
                    if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                            && handshakeStatus() == before) {
                        return Stop.NEEDS_BYTES; // nothing moved: wait for more bytes
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    return Stop.NEEDS_BYTES; // half a record: the rest comes with a later read
                }
                case BUFFER_OVERFLOW -> {
                    if (app.position() > 0) {
                        deliver(nowNanos);
                    } else {
                        tls.growAppIn(engine.getSession().getApplicationBufferSize());
                    }
                }
                case CLOSED -> {
                    deliver(nowNanos);
                    return Stop.PEER_CLOSED;
                }
            }
        }
    }

    /** Hands the decrypted bytes in {@link TlsSupport#appIn} to the protocol, which consumes them all. */
    void deliver(long nowNanos) {
        ByteBuffer app = tls.appIn;
        app.flip();
        if (app.hasRemaining()) {
            protocol.receive(app, nowNanos);
        }
        app.clear();
    }

    /**
     * Wraps into the loop's {@link TlsSupport#writeBuffer} what there is to send (handshake records, alerts, the
     * protocol's queued buffers, which are given back as they are encrypted), as much as it holds: each wrap takes
     * all the queued frames the engine puts in one record (up to 16 KiB of plaintext). Returns the buffer ready to
     * write, valid until the next wrap on this loop, or null when there was nothing.
     */
    ByteBuffer wrap() throws SSLException {
        if (phase == Phase.TASK_RUNNING) {
            return null;
        }
        OutboundQueue output = protocol.output();
        ByteBuffer dst = tls.writeBuffer.clear();
        loop:
        while (true) {
            HandshakeStatus status = handshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                if (!runTasks()) {
                    break;
                }
                continue;
            }
            boolean application = status == HandshakeStatus.NOT_HANDSHAKING && !output.isEmpty()
                    && phase != Phase.CLOSING;
            if (status != HandshakeStatus.NEED_WRAP && !application) {
                break;
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
            noteStatus(result);
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
                    // The session wants larger records than the loop's buffer holds: a bigger one from now on.
                    dst = tls.growWriteBuffer(engine.getSession().getPacketBufferSize());
                }
                default -> {
                    break loop; // CLOSED: close_notify (or an alert) was the last record
                }
            }
        }
        dst.flip();
        return dst.hasRemaining() ? dst : null;
    }

    /** No more application data from us: the next wrap is our close_notify (or the alert of a failure). */
    void closeOutbound() {
        if (phase == Phase.TASK_RUNNING) {
            afterTasks = Phase.CLOSING;
        } else {
            phase = Phase.CLOSING;
        }
        engine.closeOutbound();
        status = engine.getHandshakeStatus();
    }

    /**
     * Notes what the engine says about the handshake: the first FINISHED opens the session; a new handshake after
     * it is a TLS 1.2 renegotiation, which we refuse (TLS 1.3 has none; its KeyUpdate is not a handshake).
     */
    private void handshakeProgress(HandshakeStatus status, boolean afterUnwrap) throws SSLException {
        if (status == HandshakeStatus.FINISHED) {
            if (session == null) {
                session = engine.getSession();
                counters.increment(Counter.TLS_HANDSHAKES);
                if (phase == Phase.HANDSHAKING) {
                    phase = Phase.OPEN;
                }
            }
            return;
        }
        if (afterUnwrap && phase == Phase.OPEN && status != HandshakeStatus.NOT_HANDSHAKING
                && "TLSv1.2".equals(engine.getSession().getProtocol())) {
            throw new SSLHandshakeException("renegotiation refused");
        }
    }

    /**
     * Runs the engine's delegated tasks. Inline: runs them and returns true. With an executor: hands them over
     * and returns false; the loop resumes this connection when they are done.
     */
    private boolean runTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            tasks.add(task);
        }
        if (tls.taskExecutor != null) {
            afterTasks = phase;
            phase = Phase.TASK_RUNNING;
            try {
                tls.taskExecutor.execute(() -> {
                    long start = TlsSupport.cpuNanos();
                    runAll(tasks);
                    long cpu = TlsSupport.cpuNanos() - start;
                    loop.execute(() -> tasksDone(cpu));
                });
                return false;
            } catch (RejectedExecutionException e) {
                phase = afterTasks; // the executor is shutting down or full: do it here
            }
        }
        long start = TlsSupport.cpuNanos();
        runAll(tasks);
        counters.add(Counter.TLS_TASK_NANOS, TlsSupport.cpuNanos() - start);
        status = engine.getHandshakeStatus();
        return true;
    }

    private static void runAll(List<Runnable> tasks) {
        for (Runnable task : tasks) {
            task.run(); // a failing task leaves the engine failed: the next wrap or unwrap throws SSLException
        }
    }

    /** On the loop, after the executor ran our tasks. */
    private void tasksDone(long cpuNanos) {
        counters.add(Counter.TLS_TASK_NANOS, cpuNanos);
        phase = afterTasks;
        status = engine.getHandshakeStatus();
        onTasksDone.run();
    }

    /** Returns a pooled buffer; one allocated outside the pool (an odd size) is left to the garbage collector. */
    void giveBack(ByteBuffer buffer) {
        if (buffer.capacity() == tls.netPool.bufferSize()) {
            tls.netPool.release(buffer);
        }
    }
}
