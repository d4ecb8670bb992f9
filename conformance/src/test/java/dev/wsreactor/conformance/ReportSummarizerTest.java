package dev.wsreactor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summarizer against report files written by hand in the Autobahn testsuite's format. */
class ReportSummarizerTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ReportSummarizerTest.class.getResource("/" + name).toURI());
    }

    private static String summarize(List<ReportSummarizer.Row> rows, boolean[] fails) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        fails[0] = ReportSummarizer.print(rows, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void countsEveryVerdictPerGroupAndListsTheFailures() throws Exception {
        List<ReportSummarizer.Row> rows = ReportSummarizer.read(resource("autobahn-sample/index.json"));
        assertEquals(7, rows.size());
        boolean[] fails = new boolean[1];
        String out = summarize(rows, fails);
        assertTrue(fails[0], "FAILED and UNIMPLEMENTED cases fail the run");
        assertTrue(out.contains("agent SampleServer/1.0: 7 cases"), out);
        // group 1: two OK; group 6: one NON-STRICT, one FAILED; group 7: one INFORMATIONAL and 7.9.2, whose
        // behavior is OK though its close FAILED: Autobahn counts a case by its behavior, the close beside it.
        assertTrue(out.matches("(?s).*\\n1 +2 +0 +0 +0 +0\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n6 +0 +1 +0 +0 +1\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n7 +1 +0 +1 +0 +0\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n12 +0 +0 +0 +1 +0\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n13 +0 +0 +0 +0 +0\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nall +3 +1 +1 +1 +1\\n.*"), out);
        assertTrue(out.contains("FAILED 6.3.1\n    expected: The connection is failed immediately, since the payload "
                + "is not valid UTF-8.\n    received: Actual events differ from any expected. The connection was "
                + "failed by the wrong endpoint"), out);
        assertFalse(out.contains("FAILED 7.9.2"), out);
        assertTrue(out.contains("UNIMPLEMENTED 12.1.1\n    expected: Echo the message with permessage-deflate."), out);
        assertFalse(out.contains("6.4.1\n"), "NON-STRICT cases are counted, not listed as failures");
    }

    @Test
    void aCleanReportPassesEvenWithInformationalCasesAndMissingCaseFiles() throws Exception {
        List<ReportSummarizer.Row> rows = ReportSummarizer.read(resource("all-ok/index.json"));
        boolean[] fails = new boolean[1];
        String out = summarize(rows, fails);
        assertFalse(fails[0], out);
        assertTrue(out.matches("(?s).*\\nall +2 +0 +1 +0 +0\\n.*"), out);
    }

    @Test
    void casesAreSortedByNumberNotAsText() throws Exception {
        List<ReportSummarizer.Row> rows = ReportSummarizer.read(resource("autobahn-sample/index.json"));
        List<String> ids = rows.stream().map(ReportSummarizer.Row::id).toList();
        assertEquals(List.of("1.1.1", "1.1.2", "6.3.1", "6.4.1", "7.1.6", "7.9.2", "12.1.1"), ids);
    }

    @Test
    void malformedReportsAreRejectedWithAReason(@TempDir Path dir) throws Exception {
        Path index = dir.resolve("index.json");
        Files.writeString(index, "{\"agent\": {\"1.1.1\": {\"behavior\": \"OK\"");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ReportSummarizer.read(index));
        assertTrue(error.getMessage().contains("JSON"), error.getMessage());
        Files.writeString(index, "{\"agent\": {\"1.1.1\": {\"behavior\": \"MAYBE\"}}}");
        error = assertThrows(IllegalArgumentException.class, () -> ReportSummarizer.read(index));
        assertTrue(error.getMessage().contains("MAYBE"), error.getMessage());
        Files.writeString(index, "{\"agent\": {\"1.1.1\": {\"behavior\": \"OK\", \"behaviorClose\": \"SOMEHOW\"}}}");
        error = assertThrows(IllegalArgumentException.class, () -> ReportSummarizer.read(index));
        assertTrue(error.getMessage().contains("SOMEHOW"), error.getMessage());
    }

    @Test
    void ourOwnReportsReadBackThroughTheSummarizer(@TempDir Path dir) throws Exception {
        ConformanceCase testCase = new ConformanceCase("6.3.1", "Send <invalid> \"text\".", "Fail with 1007.",
                ConformanceCase.DEFAULT_TIMEOUT, null, c -> { });
        CaseResult failed = new CaseResult(testCase, Verdict.FAILED, CloseVerdict.OK, "Expected [] but received [x].",
                "Connection was properly closed", java.util.Map.of(Verdict.OK, List.of()), List.of(),
                new Closing(false, false, false, true, null, 1007, ""), 3, List.of("TX frame"));
        new ReportWriter(dir, "wsreactor").write(List.of(failed));
        List<ReportSummarizer.Row> rows = ReportSummarizer.read(dir.resolve("index.json"));
        assertEquals(1, rows.size());
        assertEquals(Verdict.FAILED, rows.get(0).verdict());
        assertEquals("Fail with 1007.", rows.get(0).expectation());
        assertTrue(rows.get(0).result().startsWith("Expected [] but received [x]."));
        String page = Files.readString(dir.resolve("wsreactor_case_6_3_1.html"));
        assertTrue(page.contains("Send &lt;invalid&gt; &quot;text&quot;."), page);
    }
}
