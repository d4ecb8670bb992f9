package dev.wsreactor.conformance;

import dev.wsreactor.reactor.Tls;
import dev.wsreactor.reactor.WebSocketServer;
import dev.wsreactor.server.EchoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Runs the conformance cases against a server and writes the reports.
 *
 * <pre>
 * java dev.wsreactor.conformance.ConformanceMain [--url ws://127.0.0.1:9001/ | --embedded] [--cases 1.*,6.4.*]
 *     [--out conformance/reports] [--agent wsreactor] [--wait-for-server SECONDS] [--tls-trust CA.pem] [--full]
 * </pre>
 * {@code --full} sends Autobahn's 1,000 messages per case in groups 12 and 13 instead of 20, to reproduce an
 * official run.
 * A {@code wss://} URL runs every case over TLS; {@code --tls-trust} names the PEM certificate(s) to trust
 * (for a self-signed server) instead of the JDK's default trust store.
 * {@code --embedded} starts our echo server inside this process. Exits 1 if any case FAILED or is UNIMPLEMENTED.
 */
public final class ConformanceMain {

    private ConformanceMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = "ws://127.0.0.1:9001/";
        boolean embedded = false;
        boolean full = false;
        String cases = "*";
        Path out = Path.of("conformance/reports");
        String agent = "wsreactor";
        int waitSeconds = 0;
        SSLContext tls = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--embedded" -> embedded = true;
                case "--full" -> full = true;
                case "--cases" -> cases = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--agent" -> agent = args[++i];
                case "--wait-for-server" -> waitSeconds = Integer.parseInt(args[++i]);
                case "--tls-trust" -> tls = trusting(Path.of(args[++i]));
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        WebSocketServer server = null;
        if (embedded) {
            server = EchoServer.builder("127.0.0.1", 0).daemon(true).build().start();
            url = "ws://127.0.0.1:" + server.port() + "/";
        }
        try {
            URI target = URI.create(url);
            waitForServer(target, waitSeconds);
            List<ConformanceCase> selected = Catalogue.all(full).stream().filter(Catalogue.selection(cases)).toList();
            System.out.println("running " + selected.size() + " cases against " + url);
            List<CaseResult> results = new Harness(target, System.out::println, tls).run(selected);
            new ReportWriter(out, agent).write(results);
            boolean fails = ReportSummarizer.print(rows(agent, results), System.out);
            System.out.println("reports: " + out.resolve("index.html") + " and " + out.resolve("index.json"));
            System.exit(fails ? 1 : 0);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    static List<ReportSummarizer.Row> rows(String agent, List<CaseResult> results) {
        List<ReportSummarizer.Row> rows = new ArrayList<>();
        for (CaseResult r : results) {
            rows.add(new ReportSummarizer.Row(agent, r.testCase().id(), r.verdict(), r.testCase().expectation(),
                    (r.result() + " " + r.resultClose()).trim()));
        }
        return rows;
    }

    /** A client context that trusts the certificates in a PEM file (and nothing else). */
    static SSLContext trusting(Path pem) throws java.security.GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(Tls.trustStoreFromPem(pem));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Lets `make conformance` start the server and this at once: retry connecting for a while. */
    private static void waitForServer(URI url, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no server at " + url + ": " + e.getMessage(), e);
                }
                Thread.sleep(100); // polling a port that is not open yet; nothing to wait on instead
            }
        }
    }
}
