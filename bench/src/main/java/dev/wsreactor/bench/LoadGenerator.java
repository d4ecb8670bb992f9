package dev.wsreactor.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The project's own load generator, on the protocol module's client role: many connections on one selector per
 * thread, each keeping {@code -D} messages in flight, every echo checked byte for byte and in order, latencies in
 * a histogram. It can offer permessage-deflate, which the C load generator cannot.
 *
 * <pre>
 * java -cp ... dev.wsreactor.bench.LoadGenerator echo|idle|connect|fanout [--host 127.0.0.1] [--port 9001]
 *     [--path /] [-c 100] [-t 1] [-s 32] [-D 1] [--binary] [--deflate] [--json-text] [-d 10] [-w 2] [--hold 10]
 *     [--trigger TEXT] [--expect TEXT] [--json]
 * </pre>
 *
 * <p>{@code fanout} is for push servers such as the seat example: {@code -c} viewers connect and stay; once all are
 * open, the first one sends {@code --trigger} (a request whose {@code %s} becomes "hold" and "release" in turn)
 * five times a second, and each round measures how long until every viewer received a message
 * containing {@code --expect}: the per-viewer delays go in the latency histogram, the rounds per second in the
 * rate.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    /**
     * Runs one load: {@code -t} threads share the {@code -c} connections, then the report; exits 1 if any echo was
     * wrong or any handshake failed.
     *
     * @param args the mode and its options, as above
     * @throws Exception if a thread cannot be joined
     */
    public static void main(String[] args) throws Exception {
        LoadOptions options = LoadOptions.parse(args);
        List<LoadWorker> workers = new ArrayList<>();
        for (int t = 0; t < options.threads(); t++) {
            int share = options.connections() / options.threads() + (t < options.connections() % options.threads() ? 1 : 0);
            workers.add(new LoadWorker(options, share));
        }
        List<Thread> threads = new ArrayList<>();
        for (LoadWorker worker : workers) {
            Thread thread = new Thread(worker, "load-" + threads.size());
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        LoadTally all = new LoadTally();
        for (LoadWorker worker : workers) {
            all.add(worker.tally);
        }
        all.report(options);
        System.exit(all.errors > 0 || all.handshakeFailures > 0 ? 1 : 0);
    }
}
