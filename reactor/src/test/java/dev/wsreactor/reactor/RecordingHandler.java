package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A handler that echoes like the echo server and records what happened, for tests to wait on. */
class RecordingHandler implements WebSocketHandler {

    record Opened(Session session) {
    }

    record Closed(Session session, CloseCode code, String reason) {
    }

    record Errored(Session session, Throwable error) {
    }

    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Session> opened = new LinkedBlockingQueue<>();
    final BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();
    volatile boolean echo = true;
    /** The most bytes a session had queued when a binary message arrived (backpressure tests read it). */
    volatile long maxQueuedOnBinary;

    @Override
    public void onOpen(Session session) {
        opened.add(session);
        events.add(new Opened(session));
    }

    @Override
    public void onText(Session session, String text) {
        events.add(text);
        if (echo) {
            session.sendText(text);
        }
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        maxQueuedOnBinary = Math.max(maxQueuedOnBinary, session.queuedBytes()); // only the reactor thread writes it
        if (echo) {
            session.sendBinary(data);
        }
    }

    @Override
    public void onClose(Session session, CloseCode code, String reason) {
        Closed event = new Closed(session, code, reason);
        closed.add(event);
        events.add(event);
    }

    @Override
    public void onError(Session session, Throwable error) {
        events.add(new Errored(session, error));
    }

    static <T> T await(BlockingQueue<T> queue) throws InterruptedException {
        return await(queue, Duration.ofSeconds(20));
    }

    static <T> T await(BlockingQueue<T> queue, Duration timeout) throws InterruptedException {
        T item = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (item == null) {
            throw new AssertionError("nothing happened within " + timeout);
        }
        return item;
    }
}
