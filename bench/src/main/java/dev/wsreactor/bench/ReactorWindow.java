package dev.wsreactor.bench;

import dev.wsreactor.reactor.WebSocketServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a counter did over one measuring window, the server's event-loop thread's CPU time meanwhile, and the whole
 * process's (server and clients, which share the machine's cores).
 */
record ReactorWindow(long count, double seconds, long cpuNanos, long processCpuNanos) {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Watches {@code counter} and {@code server}'s reactor thread for {@code seconds}. */
    static ReactorWindow measure(WebSocketServer server, LongAdder counter, int seconds) throws InterruptedException {
        return measure("wsreactor-" + server.port(), counter, seconds);
    }

    /** Watches {@code counter} and the server thread named {@code threadName} for {@code seconds}. */
    static ReactorWindow measure(String threadName, LongAdder counter, int seconds) throws InterruptedException {
        long loopCpu = threadCpuNanos(threadName);
        long processCpu = processCpuTotal();
        long before = counter.sum();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L); // a benchmark's window: time is what is measured here
        long count = counter.sum() - before;
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new ReactorWindow(count, elapsed, threadCpuNanos(threadName) - loopCpu,
                processCpuTotal() - processCpu);
    }

    double rate() {
        return count / seconds;
    }

    double cpuMicrosEach() {
        return cpuNanos / 1e3 / Math.max(1, count);
    }

    /** The whole process's CPU time per operation: the server's and the clients' together. */
    double processCpuMicrosEach() {
        return processCpuNanos / 1e3 / Math.max(1, count);
    }

    /** CPU time of the thread named {@code name}, or 0 where there is none. */
    private static long threadCpuNanos(String name) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                return THREADS.getThreadCpuTime(thread.getId());
            }
        }
        return 0;
    }

    /** CPU time of this process, or 0 where the JVM does not say. */
    private static long processCpuTotal() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }
}
