package dev.wsreactor.reactor;

import java.util.ArrayDeque;

/**
 * While a message stream of a session is open, its frames must not be interleaved with another message's data
 * frames (§5.4): the gate holds the session's other sends back, in order, and lets them go after the stream's
 * last frame. Control frames pass (§5.4 allows them between fragments). Belongs to the loop's thread.
 */
final class StreamGate {

    /** A send that waits, with the bytes it will queue. */
    private record Held(Runnable send, long bytes) {
    }

    private boolean holding;
    private ArrayDeque<Held> held; // created by the first send that has to wait
    private long heldBytes;

    /** Whether a stream is open, so that data sends must wait. */
    boolean isHolding() {
        return holding;
    }

    /** Bytes of the sends held back: they count as the session's queued output. */
    long heldBytes() {
        return heldBytes;
    }

    /** A stream's first frame is out: data sends wait from now on. */
    void streamStarted() {
        holding = true;
    }

    /** Holds a send of {@code bytes} back until the stream ends. */
    void hold(Runnable send, long bytes) {
        if (held == null) {
            held = new ArrayDeque<>();
        }
        held.add(new Held(send, bytes));
        heldBytes += bytes;
    }

    /**
     * The stream's last frame is out, or the session closed: the sends held back run, in order, until one of them
     * starts a stream again (the rest then wait for that one). On a closed session each of them is refused.
     */
    void streamEnded() {
        holding = false;
        while (held != null && !held.isEmpty() && !holding) {
            Held next = held.poll();
            heldBytes -= next.bytes();
            next.send().run();
        }
    }
}
