package dev.wsreactor.conformance;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The client mode: a server on {@code --port} that runs the client cases (groups 1-7, 9, 10, 12, 13) against
 * whatever client connects, speaking Autobahn's fuzzingserver protocol, and writes each agent's reports on its
 * {@code /updateReports}.
 *
 * <pre>
 * java dev.wsreactor.conformance.ClientConformanceMain [--port 9003] [--cases 1.*,6.4.*]
 *     [--out conformance/reports-client] [--ours AGENT] [--full]
 * </pre>
 * {@code --ours AGENT} runs our own client against it in this process, prints the summary and exits 1 if any
 * case FAILED or is UNIMPLEMENTED; without it the server serves until stopped.
 */
public final class ClientConformanceMain {

    private ClientConformanceMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 9003;
        String cases = "*";
        Path out = Path.of("conformance/reports-client");
        String ours = null;
        boolean full = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--cases" -> cases = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--ours" -> ours = args[++i];
                case "--full" -> full = true;
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        List<ConformanceCase> selected = clientCases(full, cases);
        try (FuzzingServer server = new FuzzingServer(port, selected, out, System.out::println)) {
            System.out.println("serving " + selected.size() + " client cases on ws://127.0.0.1:" + server.port() + "/");
            if (ours == null) {
                server.serve();
                return;
            }
            server.start();
            OurClientDriver.run(URI.create("ws://127.0.0.1:" + server.port() + "/"), ours,
                    number -> selected.get(number - 1).extensionOffer());
            boolean fails = ReportSummarizer.print(ConformanceMain.rows(ours, server.results(ours)), System.out);
            System.out.println("reports: " + out.resolve("index.html") + " and " + out.resolve("index.json"));
            System.exit(fails ? 1 : 0);
        }
    }

    /** The cases Autobahn runs against clients: every group but 11 (there is none) and 8 (none either). */
    static List<ConformanceCase> clientCases(boolean full, String patterns) {
        List<Integer> groups = List.of(1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13);
        return Catalogue.all(full).stream().filter(c -> groups.contains(c.group()))
                .filter(Catalogue.selection(patterns)).toList();
    }
}
