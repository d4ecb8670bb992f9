package dev.wsreactor.reactor;

import java.io.InterruptedIOException;

/**
 * Writers off the loop (a {@link MessageWriter}'s output stream) that wait for their session to become writable:
 * they wait on the session's {@link Sender} itself, so that a session nobody waits for holds no lock object, and
 * the loop takes that monitor only when {@link Sender#waiting} says someone waits.
 */
final class WritableWaits {

    private WritableWaits() {
    }

    /** Off the loop: waits while the session is open and not writable. On the loop it returns at once. */
    static void await(Sender sender) throws InterruptedIOException {
        if (sender.onLoop()) {
            return;
        }
        synchronized (sender) {
            sender.waiting++;
            try {
                while (!sender.isWritable() && sender.state().acceptsMessagesToSend()) {
                    sender.wait(100); // woken by wake(), when the session drains or closes; the timeout only in case
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the session to drain");
            } finally {
                sender.waiting--;
            }
        }
    }

    /** On the loop: the session drained or closed; wakes its waiting writers, if any. */
    static void wake(Sender sender) {
        if (sender.waiting > 0) {
            synchronized (sender) {
                sender.notifyAll();
            }
        }
    }
}
