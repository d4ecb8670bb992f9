package dev.wsreactor.bench;

import dev.wsreactor.reactor.WebSocketServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.LongAdder;

/** What a counter did over one measuring window, and the server's reactor thread's CPU time meanwhile. */
record ReactorWindow(long count, double seconds, long cpuNanos) {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Watches {@code counter} and {@code server}'s reactor thread for {@code seconds}. */
    static ReactorWindow measure(WebSocketServer server, LongAdder counter, int seconds) throws InterruptedException {
        long reactorCpu = reactorCpuNanos(server);
        long before = counter.sum();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L); // a benchmark's window: time is what is measured here
        long count = counter.sum() - before;
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new ReactorWindow(count, elapsed, reactorCpuNanos(server) - reactorCpu);
    }

    double rate() {
        return count / seconds;
    }

    double cpuMicrosEach() {
        return cpuNanos / 1e3 / Math.max(1, count);
    }

    /** CPU time of the server's reactor thread, found by its name. */
    private static long reactorCpuNanos(WebSocketServer server) {
        String name = "wsreactor-" + server.port();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                return THREADS.getThreadCpuTime(thread.getId());
            }
        }
        return 0;
    }
}
