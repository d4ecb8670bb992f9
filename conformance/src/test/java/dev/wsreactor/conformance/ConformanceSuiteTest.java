package dev.wsreactor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.reactor.WebSocketServer;
import dev.wsreactor.server.EchoServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every conformance case against our echo server, as part of the build: any FAILED case fails it, and so does any
 * change from the verdicts recorded in {@code conformance/expected/wsreactor.json}. The reports land in
 * conformance/target/conformance-reports for a look.
 */
class ConformanceSuiteTest {

    @Test
    void theEchoServerPassesEveryCase() throws Exception {
        try (WebSocketServer server = EchoServer.builder("127.0.0.1", 0).daemon(true).build().start()) {
            List<ConformanceCase> cases = Catalogue.all();
            List<CaseResult> results = new Harness(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    System.out::println).run(cases);
            Path reports = Path.of("target", "conformance-reports", "wsreactor");
            new ReportWriter(reports, "wsreactor").write(results);
            boolean fails = ReportSummarizer.print(ConformanceMain.rows("wsreactor", results), System.out);
            assertFalse(fails, "some cases FAILED: see the table above and " + reports.toAbsolutePath());
            assertEquals(cases.size(), results.size());
            long strict = results.stream().filter(r -> r.verdict() == Verdict.OK).count();
            long informational = results.stream().filter(r -> r.verdict() == Verdict.INFORMATIONAL).count();
            assertEquals(cases.size(), strict + informational, "every case OK except the informational ones");
            assertTrue(Files.exists(reports.resolve("index.html")));
            assertEquals(cases.size(), ReportSummarizer.read(reports.resolve("index.json")).size());
            List<String> changes = ExpectedVerdicts.compare(Path.of("expected", "wsreactor.json"), results);
            assertEquals(List.of(), changes, "verdicts changed; if on purpose, run with -Dconformance.update=true");
        }
    }

    @Test
    void theHarnessHonoursAClientWindowTheServerAsksFor() throws Exception {
        try (WebSocketServer server = EchoServer.builder("127.0.0.1", 0).daemon(true)
                .compression(DeflateConfig.defaults().withClientMaxWindowBits(9)).build().start()) {
            List<ConformanceCase> cases = Catalogue.all().stream().filter(Catalogue.selection("13.1.*,13.3.*"))
                    .toList();
            List<CaseResult> results = new Harness(URI.create("ws://127.0.0.1:" + server.port() + "/"), line -> { })
                    .run(cases);
            for (CaseResult result : results) {
                assertEquals(Verdict.OK, result.verdict(), result.testCase().id() + ": " + result.result());
                assertTrue(result.wireLog().stream().anyMatch(line -> line.contains("client_max_window_bits=9")),
                        result.testCase().id() + ": " + result.wireLog().subList(0, 2));
            }
            assertEquals(36, results.size());
        }
    }
}
