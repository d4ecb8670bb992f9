package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.ConnectionState;
import dev.wsreactor.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One session's way out: its sends from any thread (at once on the loop, as tasks from elsewhere, with the bytes
 * on their way counted), what it publishes to other threads (state, queued bytes, writability), the futures of
 * sends that asked to hear when they are written, and the message stream that may be open.
 *
 * <p>A message is a {@link CharSequence} (text) or a {@link ByteBuffer} (binary). Fields without {@code volatile}
 * belong to the loop's thread.
 */
final class Sender {

    private static final AtomicLongFieldUpdater<Sender> IN_FLIGHT =
            AtomicLongFieldUpdater.newUpdater(Sender.class, "inFlightBytes");
    private static final AtomicReferenceFieldUpdater<Sender, MessageWriter> STREAM =
            AtomicReferenceFieldUpdater.newUpdater(Sender.class, MessageWriter.class, "stream");

    private final ReactorConnection session;
    private final SocketDriver driver;
    private final Connection protocol;
    private final Loop loop;
    /** The futures of sends that asked for one, made with the first: plain sends never need it. */
    private WriteCompletions completions;
    /** Sends held back while a message stream is open, made with the first stream: most sessions never open one. */
    private StreamGate gate;

    // Read from other threads.
    private volatile ConnectionState publishedState = ConnectionState.HANDSHAKING; // as of the last settle
    private volatile CloseCode publishedCloseCode = CloseCode.ABNORMAL_CLOSURE;
    private volatile long writtenBacklog; // the protocol's queued output (and held-back sends), as published
    private volatile long inFlightBytes; // sends from other threads not yet handed to the protocol
    private volatile boolean overHighWater; // went over the high-water mark and has not drained to the low one
    private volatile MessageWriter stream; // the session's open message stream, or null
    volatile int waiting; // how many writers off the loop wait on this sender's monitor: see WritableWaits

    Sender(ReactorConnection session, SocketDriver driver, Connection protocol, Loop loop) {
        this.session = session;
        this.driver = driver;
        this.protocol = protocol;
        this.loop = loop;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sending

    /**
     * Sends a message; {@code written}, if not null, completes once its bytes are on the socket or fails when the
     * session closes first. {@code ownCopy}: a binary message that is already the session's own (no copy needed).
     */
    SendResult send(Object message, boolean ownCopy, CompletableFuture<Void> written) {
        if (loop.inLoop()) {
            return sendOnLoop(message, ownCopy, written);
        }
        SendResult refused = refusal();
        if (refused != null) {
            return refuse(written, refused);
        }
        Object snapshot = ownCopy ? message : OutgoingMessages.snapshot(message);
        if (!handOver(OutgoingMessages.sizeOf(snapshot), () -> sendOnLoop(snapshot, true, written))) {
            return refuse(written, SendResult.CLOSED);
        }
        return SendResult.ACCEPTED;
    }

    /** Queues a send of {@code bytes} to the loop, counted as in flight until it is there; false if it stopped. */
    private boolean handOver(long bytes, Runnable send) {
        inFlight(bytes);
        if (loop.execute(() -> {
            send.run();
            handedOver(bytes);
        })) {
            return true;
        }
        IN_FLIGHT.addAndGet(this, -bytes);
        return false;
    }

    /**
     * On the loop: encodes the message into the output now, or after the open stream's last frame. {@code ownCopy}:
     * the message is already the session's (a send from another thread was copied before its hand-over), so one
     * held back is not copied a second time.
     */
    private SendResult sendOnLoop(Object message, boolean ownCopy, CompletableFuture<Void> written) {
        if (holding()) {
            if (!protocol.state().acceptsMessagesToSend()) {
                return refuse(written, SendResult.CLOSED);
            }
            Object snapshot = ownCopy ? message : OutgoingMessages.snapshot(message);
            gate.hold(() -> sendOnLoop(snapshot, true, written), OutgoingMessages.sizeOf(snapshot));
            loop.markDirty(driver); // settled, so that what it adds to the queue is published
            return SendResult.ACCEPTED;
        }
        boolean sent = message instanceof CharSequence text ? protocol.sendText(text)
                : protocol.sendBinary((ByteBuffer) message);
        if (!sent) {
            return refuse(written, SendResult.CLOSED);
        }
        queued(written);
        return SendResult.ACCEPTED;
    }

    /** On the loop: a binary message in a buffer of the loop's pool, handed to the protocol's output (see Session). */
    SendResult sendKept(ByteBuffer kept) {
        if (holding()) { // behind the open stream, in order, still without a copy
            if (!protocol.state().acceptsMessagesToSend()) {
                protocol.output().pool().release(kept);
                return SendResult.CLOSED;
            }
            gate.hold(() -> sendKept(kept), kept.remaining());
            loop.markDirty(driver);
            return SendResult.ACCEPTED;
        }
        if (!protocol.sendKept(kept)) {
            return SendResult.CLOSED; // the buffer went back to the pool
        }
        queued(null);
        return SendResult.ACCEPTED;
    }

    /** A message is in the output: counted, to be settled, and its future given the position it ends at. */
    private void queued(CompletableFuture<Void> written) {
        loop.counters().increment(Counter.MESSAGES_SENT);
        loop.markDirty(driver);
        if (written != null) {
            if (completions == null) {
                completions = new WriteCompletions();
            }
            completions.add(protocol.output().endPosition(), written);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Message streams

    /** Opens the session's message stream; there is at most one at a time. */
    MessageWriter openStream(boolean text) {
        MessageWriter writer = new MessageWriter(this, text);
        if (!STREAM.compareAndSet(this, null, writer)) {
            throw new IllegalStateException("this session already has an open message stream: finish it first");
        }
        // Sends from now on wait for its last frame, even while its first one is still being gathered.
        if (loop.inLoop()) {
            gate().streamStarted();
        } else {
            loop.execute(() -> gate().streamStarted());
        }
        return writer;
    }

    /** The stream's last frame is queued: another may open. */
    void streamFinished(MessageWriter writer) {
        STREAM.compareAndSet(this, writer, null);
    }

    boolean onLoop() {
        return loop.inLoop();
    }

    /** Why a stream's write is refused now, or null: as for a send from another thread; on the loop, only closing. */
    SendResult streamRefusal() {
        if (loop.inLoop()) {
            return protocol.state().acceptsMessagesToSend() ? null : SendResult.CLOSED;
        }
        return refusal();
    }

    /** One frame of the open stream; {@code ownCopy}: the payload is the writer's to hand over, else it is copied. */
    SendResult streamFrame(Opcode opcode, boolean fin, ByteBuffer payload, boolean ownCopy) {
        if (loop.inLoop()) {
            return streamFrameOnLoop(opcode, fin, payload);
        }
        ByteBuffer frame = ownCopy ? payload : OutgoingMessages.copy(payload);
        return handOver(frame.remaining(), () -> streamFrameOnLoop(opcode, fin, frame))
                ? SendResult.ACCEPTED : SendResult.CLOSED;
    }

    private SendResult streamFrameOnLoop(Opcode opcode, boolean fin, ByteBuffer payload) {
        boolean sent = protocol.sendFragment(opcode, fin, payload);
        if (sent && opcode != Opcode.CONTINUATION && !fin) {
            gate().streamStarted(); // the session's other data frames wait for the last one (§5.4)
        }
        if (fin && gate != null) {
            gate.streamEnded();
        }
        if (!sent) {
            return SendResult.CLOSED;
        }
        if (fin) {
            loop.counters().increment(Counter.MESSAGES_SENT);
        }
        loop.markDirty(driver);
        return SendResult.ACCEPTED;
    }

    /** Sends a Ping (at most 125 bytes, checked by the caller). Control frames may go between a stream's frames. */
    SendResult ping(ByteBuffer payload) {
        if (loop.inLoop()) {
            boolean sent = protocol.sendPing(payload);
            loop.markDirty(driver);
            return sent ? SendResult.ACCEPTED : SendResult.CLOSED;
        }
        if (!publishedState.acceptsMessagesToSend()) {
            return SendResult.CLOSED;
        }
        ByteBuffer copy = OutgoingMessages.copy(payload);
        return loop.execute(() -> {
            protocol.sendPing(copy);
            loop.markDirty(driver);
        }) ? SendResult.ACCEPTED : SendResult.CLOSED;
    }

    /**
     * Queues one frame encoded for many sessions (a broadcast), after the open stream if there is one. The frame
     * is shared and only ever viewed (the output queue takes a read-only view), so it is held as it is.
     */
    boolean sendShared(ByteBuffer frame) {
        if (holding()) {
            gate.hold(() -> sendShared(frame), 0); // shared: not this session's memory
            return protocol.state().acceptsMessagesToSend();
        }
        return protocol.sendSharedFrame(frame);
    }

    /**
     * Why a send from another thread is refused at once, or null. A producer thread can outrun the reactor by far;
     * past the hard limit its sends are refused rather than piling up in the task queue, which keeps memory
     * bounded even when the application ignores flow control.
     */
    private SendResult refusal() {
        if (!publishedState.acceptsMessagesToSend()) {
            return SendResult.CLOSED;
        }
        long inFlight = inFlightBytes; // read before the backlog: see handedOver()
        return writtenBacklog + inFlight <= driver.settings.maxQueuedBytes ? null : SendResult.OVER_LIMIT;
    }

    /** Counts bytes on their way from another thread; past the high-water mark the session is not writable. */
    private void inFlight(long bytes) {
        long total = IN_FLIGHT.addAndGet(this, bytes) + writtenBacklog;
        if (total > driver.settings.highWaterMark && !overHighWater) {
            overHighWater = true; // before the task is queued: the loop's publish after it sees this
        }
    }

    /**
     * A cross-thread send has reached the protocol's queue: publish the queue's size first, then take the bytes off
     * the in-flight count. Readers read the in-flight count first, so the sum they see may count a send twice while
     * it is handed over, but never misses it: a producer never sees room that is not there.
     */
    private void handedOver(long bytes) {
        publish();
        IN_FLIGHT.addAndGet(this, -bytes);
    }

    private SendResult refuse(CompletableFuture<Void> written, SendResult why) {
        if (written != null) {
            written.completeExceptionally(why == SendResult.OVER_LIMIT
                    ? new RejectedExecutionException("over the session's write queue limit: wait for onWritable")
                    : new SessionClosedException(closeCode()));
        }
        return why;
    }

    // ---------------------------------------------------------------------------------------------------------
    // What other threads see, and what the loop settles after writes

    /**
     * Makes what other threads may ask (queued bytes, open or not, writable or not) visible to them, only writing
     * on change; completes the futures of messages now written; and tells the handler once a session that went
     * over the high-water mark is down to the low-water mark.
     */
    void publish() {
        long backlog = driver.transport.pendingBytes() + heldBytes(); // with TLS, encrypted bytes too
        if (writtenBacklog != backlog) {
            writtenBacklog = backlog;
        }
        ConnectionState state = protocol.state();
        if (publishedState != state) {
            publishedState = state;
            publishedCloseCode = protocol.closeCode();
        }
        if (completions != null && !completions.isEmpty()) {
            completions.writtenUpTo(driver.transport.writtenPosition());
        }
        if (backlog > driver.settings.highWaterMark) {
            if (!overHighWater) {
                overHighWater = true;
            }
        } else if (overHighWater && backlog + inFlightBytes <= driver.settings.lowWaterMark
                && state.acceptsMessagesToSend()) {
            overHighWater = false;
            // A producer may have added to the in-flight count after it was read above and seen the flag still
            // set (so not set it): read the count again after clearing, or that crossing would be lost.
            if (backlog + inFlightBytes > driver.settings.highWaterMark) {
                overHighWater = true;
                return;
            }
            WritableWaits.wake(this);
            session.events.drained();
        }
    }

    /** The state seen from other threads; on the loop, the protocol's own. */
    ConnectionState state() {
        return loop.inLoop() ? protocol.state() : publishedState;
    }

    /** The session opened: other threads may send from now on. */
    void opened() {
        publishedState = ConnectionState.OPEN;
    }

    /** The session is closed: what was written completes, every other future fails with the close code. */
    void closed(CloseCode code) {
        publishedCloseCode = code;
        publishedState = ConnectionState.CLOSED;
        if (completions != null) {
            completions.writtenUpTo(driver.transport.writtenPosition());
            completions.failAll(code);
        }
        if (gate != null) {
            gate.streamEnded();
        }
        WritableWaits.wake(this);
    }

    /**
     * A slow consumer's unsent frames were dropped: the futures of their messages fail now, before anything else
     * is queued where they were (the positions after the kept bytes are given out again). Sends held behind a
     * stream stay held until the close refuses them.
     */
    void unsentDropped() {
        if (completions != null) {
            completions.writtenUpTo(driver.transport.writtenPosition());
            completions.droppedAfter(protocol.output().endPosition(), CloseCode.POLICY_VIOLATION);
        }
    }

    /** The stream gate, made with the session's first stream (on the loop). */
    private StreamGate gate() {
        if (gate == null) {
            gate = new StreamGate();
        }
        return gate;
    }

    /** Whether a message stream is open, so that data sends wait behind its last frame. */
    private boolean holding() {
        return gate != null && gate.isHolding();
    }

    /** Bytes of the sends held back behind an open stream. */
    private long heldBytes() {
        return gate == null ? 0 : gate.heldBytes();
    }

    boolean isWritable() {
        return state().acceptsMessagesToSend() && !overHighWater;
    }

    long queuedBytes() {
        if (loop.inLoop()) {
            return driver.transport.pendingBytes() + heldBytes() + inFlightBytes;
        }
        long inFlight = inFlightBytes; // read before the backlog: see handedOver()
        return writtenBacklog + inFlight;
    }

    private CloseCode closeCode() {
        return loop.inLoop() ? protocol.closeCode() : publishedCloseCode;
    }
}
