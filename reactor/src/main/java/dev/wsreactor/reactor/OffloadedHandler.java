package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One session's handler calls, run on the application's executor ({@code handlerExecutor}) instead of the
 * reactor thread: still one at a time and in wire order (a {@link SerialExecutor} per session), so a handler may
 * block without stalling other sessions. Buffers are copied before the hand-over (the reactor's are only valid
 * during its own call); strings are immutable and go as they are.
 *
 * <p>Input backpressure: the calls waiting for the executor are counted in bytes (payloads and a fixed cost per
 * call). Above the high-water mark the reactor stops reading the connection, and reads again once they are down
 * to the low-water mark, as for a peer that does not read what it is sent.
 *
 * <p>A call that throws is reported to the reactor, which closes the session with 1011 as for any handler; the
 * calls queued behind it are skipped but for {@code onError} and {@code onClose}.
 */
final class OffloadedHandler implements StreamingHandler {

    /** What a call costs in the backlog beyond its payload: a message of nothing still holds memory. */
    private static final int CALL_BYTES = 64;

    private final WebSocketHandler handler;
    private final StreamingHandler streaming; // the same handler, if it takes messages in parts
    private final ReactorConnection session;
    private final Loop loop;
    private final SerialExecutor calls;
    private final long lowWaterMark;
    private final long highWaterMark;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private boolean failed; // a call threw: only onError and onClose run from now on (executor side, serial)

    OffloadedHandler(WebSocketHandler handler, ReactorConnection session, Loop loop, Executor executor,
            ServerSettings settings) {
        this.handler = handler;
        this.streaming = handler instanceof StreamingHandler parts ? parts : null;
        this.session = session;
        this.loop = loop;
        this.calls = new SerialExecutor(executor);
        this.lowWaterMark = settings.lowWaterMark;
        this.highWaterMark = settings.highWaterMark;
    }

    /** Whether the reactor should stop reading: the calls waiting are over the high-water mark. */
    boolean isBacklogged() {
        return paused.get();
    }

    @Override
    public void onOpen(Session s) {
        submit(0, false, () -> handler.onOpen(s));
    }

    @Override
    public void onText(Session s, String text) {
        submit(text.length(), false, () -> handler.onText(s, text));
    }

    @Override
    public void onBinary(Session s, ByteBuffer data) {
        ByteBuffer copy = copy(data);
        submit(copy.remaining(), false, () -> handler.onBinary(s, copy));
    }

    @Override
    public void onTextPart(Session s, CharSequence part, boolean last) {
        String text = part.toString();
        submit(text.length(), false, () -> streaming.onTextPart(s, text, last));
    }

    @Override
    public void onBinaryPart(Session s, ByteBuffer part, boolean last) {
        ByteBuffer copy = copy(part);
        submit(copy.remaining(), false, () -> streaming.onBinaryPart(s, copy, last));
    }

    @Override
    public void onPing(Session s, ByteBuffer payload) {
        ByteBuffer copy = copy(payload);
        submit(copy.remaining(), false, () -> handler.onPing(s, copy));
    }

    @Override
    public void onPong(Session s, ByteBuffer payload) {
        ByteBuffer copy = copy(payload);
        submit(copy.remaining(), false, () -> handler.onPong(s, copy));
    }

    @Override
    public void onWritable(Session s) {
        submit(0, false, () -> handler.onWritable(s));
    }

    @Override
    public void onClose(Session s, CloseCode code, String reason) {
        submit(0, true, () -> {
            try {
                handler.onClose(s, code, reason);
            } catch (Throwable error) {
                ReactorLog.warning("session " + s.id() + ": onClose threw", error);
            }
        });
    }

    @Override
    public void onError(Session s, Throwable error) {
        submit(0, true, () -> handler.onError(s, error));
    }

    /** On the loop: hands a call to the executor, counted in the backlog until it has run. */
    private void submit(long payloadBytes, boolean always, Runnable call) {
        long cost = payloadBytes + CALL_BYTES;
        if (backlog.addAndGet(cost) > highWaterMark && !paused.get()) {
            paused.set(true);
            if (backlog.get() <= lowWaterMark) { // the executor drained it meanwhile, before it could see the flag
                resume();
            }
        }
        calls.execute(() -> run(call, always, cost));
    }

    /** On the executor. */
    private void run(Runnable call, boolean always, long cost) {
        try {
            if (!failed || always) {
                call.run();
            }
        } catch (Throwable error) {
            if (failed) {
                ReactorLog.warning("session " + session.id() + ": the handler threw again after failing", error);
            } else {
                failed = true;
                loop.execute(() -> session.events.handlerFailed(error)); // 1011, on the loop, as for any handler
            }
        } finally {
            if (backlog.addAndGet(-cost) <= lowWaterMark && paused.get()) {
                resume();
            }
        }
    }

    /** The backlog is down to the low-water mark: the reactor reads the connection again (once). */
    private void resume() {
        if (paused.compareAndSet(true, false)) {
            loop.execute(session.events::readAgain);
        }
    }

    private static ByteBuffer copy(ByteBuffer data) {
        return ByteBuffer.allocate(data.remaining()).put(data).flip();
    }
}
