package dev.wsreactor.reactor;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.util.function.BooleanSupplier;

/**
 * What keeps a reactor's loop alive. Whatever a connection, its transport, the protocol or the handler throws is
 * contained to that connection ({@link SocketDriver#fail}); whatever still escapes an iteration is counted, logged
 * and survived here. Only a selector that is closed, or iterations that fail every time, end the loop early: then
 * every connection is closed and the thread ends with that failure as its uncaught exception, which a process
 * can act on (the echo server exits non-zero).
 */
final class LoopGuard {

    /** One turn of the loop. */
    interface Iteration {
        void run() throws IOException;
    }

    /** Iterations in a row that may fail before the loop gives up: only a broken selector fails every time. */
    static final int FAILURES_IN_A_ROW = 100;

    private LoopGuard() {
    }

    /** Runs iterations until {@code stopped}, then {@code stop} whatever happened; rethrows what ended it early. */
    static void run(Iteration iteration, BooleanSupplier stopped, Runnable stop, Counters counters) {
        Throwable fatal = null;
        try {
            int failuresInARow = 0;
            while (!stopped.getAsBoolean()) {
                if (Thread.interrupted()) { // else every select returns at once: the loop would spin
                    ReactorLog.warning("the reactor thread was interrupted; ignored (closing the server stops it)");
                }
                try {
                    iteration.run();
                    failuresInARow = 0;
                } catch (Throwable failure) {
                    counters.increment(Counter.INTERNAL_ERRORS);
                    if (failure instanceof ClosedSelectorException || ++failuresInARow >= FAILURES_IN_A_ROW) {
                        fatal = failure;
                        break;
                    }
                    ReactorLog.error("a reactor loop iteration failed; going on", failure);
                }
            }
        } finally {
            try {
                stop.run();
            } catch (Throwable error) {
                ReactorLog.error("failure while stopping the reactor", error);
            }
        }
        if (fatal != null) {
            ReactorLog.error("the reactor loop failed; every connection was closed", fatal);
            throw new IllegalStateException("the reactor loop failed", fatal);
        }
    }
}
