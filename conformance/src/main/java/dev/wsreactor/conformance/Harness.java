package dev.wsreactor.conformance;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/** Runs cases one after another against a server, each on a connection of its own. */
final class Harness {

    private final URI url;
    private final Consumer<String> progress;
    private final SSLContext tls;

    Harness(URI url, Consumer<String> progress) {
        this(url, progress, null);
    }

    /** For a wss:// URL, {@code tls} is the client's context (what it trusts); null: the JDK's default. */
    Harness(URI url, Consumer<String> progress, SSLContext tls) {
        this.url = url;
        this.progress = progress;
        this.tls = tls;
    }

    List<CaseResult> run(List<ConformanceCase> cases) {
        List<CaseResult> results = new ArrayList<>();
        int done = 0;
        for (ConformanceCase testCase : cases) {
            CaseResult result = run(testCase);
            results.add(result);
            done++;
            progress.accept(String.format("[%3d/%d] %-8s %-13s %6d ms", done, cases.size(), testCase.id(),
                    result.verdict().label(), result.durationMillis()));
        }
        return results;
    }

    CaseResult run(ConformanceCase testCase) {
        WireLog log = new WireLog();
        long start = System.nanoTime();
        WireClient client;
        try {
            client = WireClient.connect(url, log, WireClient.CONNECT_TIMEOUT, testCase.extensionOffer(), tls);
        } catch (IOException e) {
            log.note("could not open the connection: " + e.getMessage());
            return new CaseResult(testCase, Verdict.FAILED, CloseVerdict.FAILED, "Could not open a WebSocket "
                    + "connection: " + e.getMessage(), "", Map.of(), List.of(), new Closing(false, true, false, false,
                            e.getMessage(), null, ""), millisSince(start), log.lines());
        }
        return play(client, log, testCase, start);
    }

    /** Runs one case on a connection whose handshake is done (either side), to its end; closes the connection. */
    static CaseResult play(WireClient client, WireLog log, ConformanceCase testCase, long start) {
        try (client) {
            CaseContext context = new CaseContext(client, log, testCase.timeout());
            try {
                testCase.script().run(context);
            } catch (IOException e) {
                // The peer may close while a case is still writing (it failed the connection early): judge
                // by what it sent back, as Autobahn does.
                log.note("write failed: " + e.getMessage());
            }
            try {
                context.finish();
            } catch (IOException e) {
                log.note("closing failed: " + e.getMessage());
            }
            return context.verdict(testCase, millisSince(start));
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
