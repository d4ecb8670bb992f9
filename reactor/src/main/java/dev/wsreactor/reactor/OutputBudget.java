package dev.wsreactor.reactor;

import dev.wsreactor.protocol.ConnectionState;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The server's outbound budget ({@code maxQueuedBytesTotal}), kept by each loop at the end of its iterations: the
 * loop adds what its connections hold ({@link Counter#QUEUED_BYTES}) to the server's figure in
 * {@link ServerLimits}, and while the server is over budget it closes its own connections with the most output as
 * slow consumers (1008), the largest first, until it has freed its share of the excess. So no number of slow
 * clients grows the process past the budget, and with several loops each frees in proportion to what it holds.
 *
 * <p>A connection already closing is no candidate, and is not counted twice: closing it dropped its unsent frames
 * at once, so what it still holds is counted as it shrinks. Belongs to one loop's thread.
 */
final class OutputBudget {

    /** After a pass that found nothing it could close, the next one waits this long. */
    private static final long RETRY_NANOS = 100_000_000L;
    private static final Comparator<SocketDriver> LARGEST_FIRST =
            Comparator.comparingLong((SocketDriver connection) -> connection.share.output()).reversed();

    private final ServerLimits limits;
    private final Counters counters;
    private final ReactorLog.Throttled overBudget = new ReactorLog.Throttled(Level.WARNING, 10_000_000_000L);
    /** This loop's part of the server's figure, as last added to it. */
    private long published;
    private long retryAt = System.nanoTime();
    private SocketDriver[] candidates = new SocketDriver[0];

    OutputBudget(ServerLimits limits, Counters counters) {
        this.limits = limits;
        this.counters = counters;
    }

    /** Adds this loop's output to the server's figure and, if the server is over budget, sheds its share. */
    void afterIteration(ConnectionSet connections, long now) {
        publish();
        long over = limits.overBudget();
        if (over == 0 || now - retryAt < 0) {
            return;
        }
        long mine = counters.get(Counter.QUEUED_BYTES);
        long total = Math.max(1, limits.queuedBytes());
        long share = (long) Math.ceil((double) over * mine / total);
        int count = collectOpen(connections);
        Arrays.sort(candidates, 0, count, LARGEST_FIRST);
        long freed = 0;
        int closed = 0;
        for (int i = 0; i < count && freed < share; i++) {
            SocketDriver connection = candidates[i];
            long before = connection.share.output();
            try {
                connection.closeAsSlowConsumer("among the largest queues (" + before + " bytes) while the server's"
                        + " output is over its budget of " + limits.maxQueuedBytesTotal + " bytes");
                connection.settle(); // so that what it freed is counted now
            } catch (Throwable error) {
                connection.fail(error);
            }
            freed += before - connection.share.output();
            closed++;
        }
        Arrays.fill(candidates, 0, count, null);
        publish();
        if (closed == 0) {
            retryAt = now + RETRY_NANOS; // what is over budget belongs to connections already closing
        }
        int shed = closed;
        long excess = over;
        overBudget.occurred(now, () -> "the server's output was " + excess + " bytes over its budget of "
                + limits.maxQueuedBytesTotal + "; closed the " + shed + " largest queues as slow consumers");
    }

    private void publish() {
        long mine = counters.get(Counter.QUEUED_BYTES);
        limits.addQueuedBytes(mine - published);
        published = mine;
    }

    private int collectOpen(ConnectionSet connections) {
        if (candidates.length < connections.size()) {
            candidates = new SocketDriver[connections.size()];
        }
        int count = 0;
        for (int i = 0; i < connections.size(); i++) {
            SocketDriver connection = connections.get(i);
            if (connection.protocol.state() == ConnectionState.OPEN && connection.share.output() > 0) {
                candidates[count++] = connection;
            }
        }
        return count;
    }
}
