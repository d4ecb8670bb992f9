package dev.wsreactor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsreactor.bench.peers.JavaWebSocketEcho;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The harness against a server nobody here wrote, Java-WebSocket 1.6.0, with its verdicts pinned in
 * {@code conformance/expected/java-websocket-1.6.0.json}: it shows the harness works on other servers, and where
 * the verdicts differ from ours the file says so case by case.
 */
class ThirdPartyServerTest {

    @Test
    void javaWebSocketGetsTheVerdictsOnRecord() throws Exception {
        JavaWebSocketEcho server = new JavaWebSocketEcho(0);
        server.start();
        try {
            assertEquals(true, server.awaitStart(20, TimeUnit.SECONDS));
            int port = server.getPort();
            // Groups 1-10, and one compression case: it does not offer permessage-deflate by default, so every
            // case of groups 12 and 13 is UNIMPLEMENTED alike and one of them says so.
            List<ConformanceCase> cases = Catalogue.all().stream()
                    .filter(c -> c.group() <= 10 || c.id().equals("12.1.1")).toList();
            List<CaseResult> results = new Harness(URI.create("ws://127.0.0.1:" + port + "/"), line -> { })
                    .run(cases);
            Path reports = Path.of("target", "conformance-reports", "java-websocket");
            new ReportWriter(reports, "java-websocket-1.6.0").write(results);
            List<String> changes = ExpectedVerdicts.checkPinned(Path.of("expected", "java-websocket-1.6.0.json"),
                    "java-websocket-1.6.0", results);
            assertEquals(List.of(), changes, "verdicts changed; if on purpose, run with -Dconformance.update=true");
        } finally {
            server.stop(1000);
        }
    }
}
