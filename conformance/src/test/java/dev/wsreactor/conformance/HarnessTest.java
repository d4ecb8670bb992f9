package dev.wsreactor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The harness judges correctly: a sloppy server gets FAILED exactly where it is sloppy. */
class HarnessTest {

    private static Map<String, CaseResult> run(int port, String cases) {
        List<ConformanceCase> selected = Catalogue.all().stream().filter(Catalogue.selection(cases)).toList();
        List<CaseResult> results = new Harness(URI.create("ws://127.0.0.1:" + port + "/"), line -> { }).run(selected);
        return results.stream().collect(Collectors.toMap(r -> r.testCase().id(), Function.identity()));
    }

    @Test
    void theCatalogueHasEveryGroupWithUniqueIds() {
        List<ConformanceCase> all = Catalogue.all();
        assertEquals(all.size(), all.stream().map(ConformanceCase::id).distinct().count());
        for (int group : new int[] {1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13}) {
            assertTrue(all.stream().anyMatch(c -> c.group() == group), "group " + group);
        }
        assertEquals(16, all.stream().filter(c -> c.group() == 1).count());
        assertEquals(54, all.stream().filter(c -> c.group() == 9).count());
        assertEquals(90, all.stream().filter(c -> c.group() == 12).count());
        assertEquals(126, all.stream().filter(c -> c.group() == 13).count());
        assertEquals(517, all.size());
    }

    @Test
    void aSloppyServerFailsWhereItIsSloppyAndPassesWhereItIsNot() throws Exception {
        try (NaiveServer server = new NaiveServer()) {
            Map<String, CaseResult> results = run(server.port(),
                    "1.1.1,1.2.6,2.2,3.1,4.1.1,5.3,6.3.1,6.12.1,6.22.1,7.3.3,7.9.1");
            // What it does right: plain echoes and pongs.
            for (String id : List.of("1.1.1", "1.2.6", "2.2", "5.3", "6.22.1")) {
                assertEquals(Verdict.OK, results.get(id).verdict(), id + ": " + results.get(id).result());
                assertEquals(CloseVerdict.OK, results.get(id).behaviorClose(), id + ": " + results.get(id).resultClose());
            }
            // It closes TCP without waiting, but only after echoing the Close: clean enough for 7.3.3.
            assertEquals(Verdict.OK, results.get("7.3.3").verdict(), results.get("7.3.3").resultClose());
            // What reaches the case's events fails it: an RSV frame echoed as a message ...
            assertEquals(Verdict.FAILED, results.get("3.1").verdict(), results.get("3.1").result());
            assertTrue(results.get("3.1").result().startsWith("Actual events differ from any expected."));
            // ... and close code 0 echoed back, which in group 7 fails the case, not only its close.
            assertEquals(CloseVerdict.WRONG_CODE, results.get("7.9.1").behaviorClose());
            assertEquals(Verdict.FAILED, results.get("7.9.1").verdict(), results.get("7.9.1").result());
            // Where the harness must fail the connection itself (an invalid frame or invalid UTF-8 came back), no
            // event reaches the case, so, as in Autobahn, the case passes; but the harness sent the first Close,
            // so its close verdict is FAILED: "the connection was failed by the wrong endpoint".
            for (String id : List.of("4.1.1", "6.3.1", "6.12.1")) {
                assertEquals(Verdict.OK, results.get(id).verdict(), id);
                assertEquals(CloseVerdict.FAILED, results.get(id).behaviorClose(), id);
                assertTrue(results.get(id).closing().closedByMe() && results.get(id).closing().failedByMe(), id);
            }
            assertTrue(results.get("6.3.1").resultClose().contains("not valid UTF-8"), results.get("6.3.1").resultClose());
        }
    }

    @Test
    void aServerThatIsNotThereFailsEveryCaseWithAReason() throws Exception {
        int port;
        try (java.net.ServerSocket unused = new java.net.ServerSocket(0)) {
            port = unused.getLocalPort();
        }
        CaseResult result = run(port, "1.1.1").get("1.1.1");
        assertEquals(Verdict.FAILED, result.verdict());
        assertTrue(result.result().startsWith("Could not open a WebSocket connection"), result.result());
    }
}
