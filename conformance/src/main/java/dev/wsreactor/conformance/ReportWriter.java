package dev.wsreactor.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a run's results in the Autobahn testsuite's report layout ({@code index.json} plus one JSON file per
 * case, so {@link ReportSummarizer} reads ours and Autobahn's alike) and as HTML: an index with a table per group
 * and a page per case with its wire log.
 */
final class ReportWriter {

    private final Path directory;
    private final String agent;

    ReportWriter(Path directory, String agent) {
        this.directory = directory;
        this.agent = agent;
    }

    void write(List<CaseResult> results) throws IOException {
        Files.createDirectories(directory);
        Map<String, Object> cases = new LinkedHashMap<>();
        for (CaseResult result : results) {
            String id = result.testCase().id();
            String base = agent + "_case_" + id.replace('.', '_');
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("behavior", result.verdict().label());
            entry.put("behaviorClose", result.behaviorClose().label());
            entry.put("duration", result.durationMillis());
            entry.put("remoteCloseCode", result.closing().remoteCloseCode());
            entry.put("reportfile", base + ".json");
            cases.put(id, entry);
            Files.writeString(directory.resolve(base + ".json"), Json.write(caseReport(result)),
                    StandardCharsets.UTF_8);
            Files.writeString(directory.resolve(base + ".html"), casePage(result), StandardCharsets.UTF_8);
        }
        Files.writeString(directory.resolve("index.json"), Json.write(Map.of(agent, cases)), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("index.html"), indexPage(results), StandardCharsets.UTF_8);
    }

    private Map<String, Object> caseReport(CaseResult result) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("agent", agent);
        report.put("id", result.testCase().id());
        report.put("description", result.testCase().description());
        report.put("expectation", result.testCase().expectation());
        report.put("behavior", result.verdict().label());
        report.put("behaviorClose", result.behaviorClose().label());
        report.put("result", result.result());
        report.put("resultClose", result.resultClose());
        Map<String, Object> expected = new LinkedHashMap<>();
        result.expected().forEach((verdict, events) -> expected.put(verdict.label(), observed(events)));
        report.put("expected", expected);
        report.put("received", observed(result.received()));
        Closing closing = result.closing();
        report.put("closedByMe", closing.closedByMe());
        report.put("failedByMe", closing.failedByMe());
        report.put("droppedByMe", closing.droppedByMe());
        report.put("wasClean", closing.wasClean());
        report.put("wasNotCleanReason", closing.wasNotCleanReason());
        report.put("remoteCloseCode", closing.remoteCloseCode());
        report.put("remoteCloseReason", closing.remoteCloseReason());
        report.put("closedBy", closing.closedBy());
        report.put("duration", result.durationMillis());
        report.put("wirelog", new ArrayList<Object>(result.wireLog()));
        return report;
    }

    private static List<Object> observed(List<Observed> list) {
        List<Object> out = new ArrayList<>();
        for (Observed o : list) {
            out.add(List.of(o.kind(), o.toString(), o.binary()));
        }
        return out;
    }

    private String indexPage(List<CaseResult> results) {
        Map<Integer, List<CaseResult>> groups = new TreeMap<>();
        for (CaseResult result : results) {
            groups.computeIfAbsent(result.testCase().group(), g -> new ArrayList<>()).add(result);
        }
        StringBuilder html = new StringBuilder(page("Conformance report: " + agent));
        html.append("<h1>Conformance report: ").append(escape(agent)).append("</h1>\n");
        html.append("<p>").append(results.size()).append(" cases, numbered as in the Autobahn testsuite.</p>\n");
        for (Map.Entry<Integer, List<CaseResult>> group : groups.entrySet()) {
            html.append("<h2>Group ").append(group.getKey()).append("</h2>\n<table>\n")
                    .append("<tr><th>case</th><th>verdict</th><th>close</th><th>ms</th><th>description</th></tr>\n");
            for (CaseResult result : group.getValue()) {
                String base = agent + "_case_" + result.testCase().id().replace('.', '_');
                html.append("<tr><td><a href=\"").append(base).append(".html\">").append(result.testCase().id())
                        .append("</a></td>").append(cell(result.verdict())).append(cell(result.behaviorClose().label()))
                        .append("<td>").append(result.durationMillis()).append("</td><td>")
                        .append(escape(result.testCase().description())).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private String casePage(CaseResult result) {
        ConformanceCase c = result.testCase();
        StringBuilder html = new StringBuilder(page("Case " + c.id()));
        html.append("<p><a href=\"index.html\">all cases</a></p>\n<h1>Case ").append(c.id()).append(": ")
                .append(result.verdict().label()).append("</h1>\n<dl>\n");
        definition(html, "Description", c.description());
        definition(html, "Expectation", c.expectation());
        definition(html, "Messages", result.behavior().label() + ": " + result.result());
        definition(html, "Close", result.behaviorClose().label() + ": " + result.resultClose());
        definition(html, "Expected", result.expected().toString());
        definition(html, "Received", result.received().toString());
        Closing closing = result.closing();
        definition(html, "Server close code", closing.remoteCloseCode() == null ? "none"
                : closing.remoteCloseCode() + " " + closing.remoteCloseReason());
        definition(html, "Closed by", closing.closedBy() + (closing.droppedByMe() ? "; the harness dropped TCP" : "")
                + (closing.wasClean() ? "; clean" : "; not clean: " + closing.wasNotCleanReason()));
        definition(html, "Duration", result.durationMillis() + " ms");
        html.append("</dl>\n<h2>Wire log</h2>\n<pre>");
        for (String line : result.wireLog()) {
            html.append(escape(line)).append('\n');
        }
        return html.append("</pre>\n</body></html>\n").toString();
    }

    private static void definition(StringBuilder html, String term, String text) {
        html.append("<dt>").append(term).append("</dt><dd>").append(escape(text)).append("</dd>\n");
    }

    private static String cell(Verdict verdict) {
        return "<td class=\"" + verdict.name().toLowerCase() + "\">" + verdict.label() + "</td>";
    }

    private static String cell(String closeVerdict) {
        return "<td>" + escape(closeVerdict) + "</td>";
    }

    private static String page(String title) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}.ok{background:#cfc}"
                + ".non_strict{background:#ffc}.informational{background:#cef}.unimplemented{background:#fdc}"
                + ".failed{background:#f99}pre{background:#f6f6f6;padding:1em;overflow-x:auto}"
                + "dt{font-weight:bold}</style></head><body>\n";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
