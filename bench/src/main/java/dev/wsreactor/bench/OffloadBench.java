package dev.wsreactor.bench;

import dev.wsreactor.reactor.Session;
import dev.wsreactor.reactor.WebSocketClient;
import dev.wsreactor.reactor.WebSocketHandler;
import dev.wsreactor.reactor.WebSocketServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What offloading handler calls ({@code handlerExecutor}) costs per message, side by side with running them on
 * the reactor: one echo server in this JVM, our client on its own loop keeping a fixed number of small messages
 * in flight on each connection, and for each mode the echoes per second and the server's CPU per echo (the
 * process's CPU less the client loop thread's; GC and JIT included).
 *
 * <pre>
 * java -cp 'bench/target/classes:bench/target/lib/*' dev.wsreactor.bench.OffloadBench [seconds] [connections]
 * </pre>
 */
public final class OffloadBench {

    private static final int IN_FLIGHT = 8;
    private static final String MESSAGE = "x".repeat(64);

    private OffloadBench() {
    }

    /** One mode: where the server's handler calls run. */
    private record Mode(String name, Executor executor) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        ExecutorService fixed = Executors.newFixedThreadPool(4);
        List<Mode> modes = List.of(new Mode("reactor thread", null),
                new Mode("ForkJoinPool.commonPool()", ForkJoinPool.commonPool()),
                new Mode("fixed pool of 4", fixed));
        System.out.printf(Locale.ROOT, "%-28s %12s %16s%n", "handler calls on", "echoes/s", "server CPU µs/echo");
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up; the second is reported
            for (Mode mode : modes) {
                double[] result = run(mode.executor(), connections, seconds);
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "%-28s %12.0f %16.2f%n", mode.name(), result[0], result[1]);
                }
            }
        }
        fixed.shutdown();
    }

    /** Returns echoes per second and the server's CPU microseconds per echo. */
    private static double[] run(Executor executor, int connections, int seconds) throws Exception {
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onText(Session session, String text) {
                session.sendText(text);
            }
        };
        LongAdder echoes = new LongAdder();
        WebSocketHandler client = new WebSocketHandler() {
            @Override
            public void onOpen(Session session) {
                for (int i = 0; i < IN_FLIGHT; i++) {
                    session.sendText(MESSAGE);
                }
            }

            @Override
            public void onText(Session session, String text) {
                echoes.increment();
                session.sendText(text);
            }
        };
        WebSocketServer.Builder builder = WebSocketServer.builder().bind("127.0.0.1", 0).handler(echo).daemon(true);
        if (executor != null) {
            builder.handlerExecutor(executor);
        }
        try (WebSocketServer server = builder.build().start(); WebSocketClient clients = WebSocketClient.builder()
                .build()) {
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                sessions.add(clients.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), client)
                        .get(10, TimeUnit.SECONDS));
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long clientThread = clientLoopThread(threads);
            long startEchoes = echoes.sum();
            long startCpu = processCpuNanos() - threads.getThreadCpuTime(clientThread);
            long start = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds); // a measurement window, not a synchronisation
            long elapsed = System.nanoTime() - start;
            long cpu = processCpuNanos() - threads.getThreadCpuTime(clientThread) - startCpu;
            long done = echoes.sum() - startEchoes;
            sessions.forEach(Session::close);
            return new double[] {done * 1e9 / elapsed, cpu / 1e3 / Math.max(1, done)};
        }
    }

    private static long clientLoopThread(ThreadMXBean threads) {
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().equals("wsreactor-client")) {
                return info.getThreadId();
            }
        }
        throw new IllegalStateException("no client loop thread");
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
