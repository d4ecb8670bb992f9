package dev.wsreactor.bench;

import java.util.Locale;

/** What one {@link LoadWorker} thread measured, or all of them added up; and the report printed from it. */
final class LoadTally {
    long messages;
    long bytesIn;
    long bytesOut;
    long handshakes;
    long handshakeFailures;
    long errors;
    long closedByServer;
    int open;
    final LatencyHistogram latency = new LatencyHistogram();

    /** Adds another thread's counts to these. */
    void add(LoadTally t) {
        messages += t.messages;
        bytesIn += t.bytesIn;
        bytesOut += t.bytesOut;
        handshakes += t.handshakes;
        handshakeFailures += t.handshakeFailures;
        errors += t.errors;
        closedByServer += t.closedByServer;
        open += t.open;
        latency.add(t.latency);
    }

    /** Prints the run's figures: one JSON line for {@code fanout} or {@code --json}, else a few lines of text. */
    void report(LoadOptions o) {
        double seconds = o.mode().equals("idle") ? o.hold().toMillis() / 1000.0 : o.duration().toMillis() / 1000.0;
        double rate = (o.mode().equals("connect") ? handshakes : messages) / seconds;
        if (o.mode().equals("fanout")) {
            System.out.printf(Locale.ROOT, "{\"mode\":\"fanout\",\"viewers\":%d,\"open_at_end\":%d,"
                    + "\"rounds\":%d,\"deliveries\":%d,\"p50_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,"
                    + "\"errors\":%d}%n", o.connections(), open, messages, latency.count(),
                    latency.percentile(0.5), latency.percentile(0.99), latency.percentile(1.0), errors);
            return;
        }
        if (o.json()) {
            System.out.printf(Locale.ROOT, "{\"mode\":\"%s\",\"conns\":%d,\"size\":%d,\"depth\":%d,\"deflate\":%b,"
                    + "\"seconds\":%.2f,\"rate\":%.1f,\"mb_in_s\":%.2f,\"mb_out_s\":%.2f,\"p50_us\":%.1f,"
                    + "\"p99_us\":%.1f,\"p999_us\":%.1f,\"handshakes\":%d,\"handshake_failures\":%d,\"errors\":%d,"
                    + "\"closed_by_server\":%d,\"open_at_end\":%d}%n", o.mode(), o.connections(), o.size(),
                    o.depth(), o.deflate(), seconds, rate, bytesIn / seconds / 1e6, bytesOut / seconds / 1e6,
                    latency.percentile(0.5), latency.percentile(0.99), latency.percentile(0.999),
                    handshakes, handshakeFailures, errors, closedByServer, open);
            return;
        }
        System.out.printf(Locale.ROOT, "mode %s: %d connections, %d threads, %.2f s measured%n", o.mode(),
                o.connections(), o.threads(), seconds);
        System.out.printf(Locale.ROOT, "%s/s: %.0f   in %.2f MB/s   out %.2f MB/s%n",
                o.mode().equals("connect") ? "handshakes" : "messages", rate, bytesIn / seconds / 1e6,
                bytesOut / seconds / 1e6);
        System.out.printf(Locale.ROOT, "latency us: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f%n",
                latency.percentile(0.5), latency.percentile(0.9), latency.percentile(0.99),
                latency.percentile(0.999));
        System.out.printf("handshakes ok %d, failed %d; errors %d; closed by server %d; open at end %d%n",
                handshakes, handshakeFailures, errors, closedByServer, open);
    }
}
