package dev.wsreactor.conformance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summarises a conformance report in the Autobahn testsuite's format (its {@code reports/servers/index.json}, or
 * ours): per case group the count of each verdict, then every FAILED case with what was expected and what came.
 * A case's verdict is its {@code behavior}, as Autobahn's own report counts and colours it; {@code behaviorClose}
 * (OK, FAILED BY CLIENT, WRONG CODE, UNCLEAN...) is shown beside it there and already folded into
 * {@code behavior} by the cases whose verdict it changes. Exits non-zero if any case FAILED or is UNIMPLEMENTED.
 *
 * <pre>java dev.wsreactor.conformance.ReportSummarizer reports/servers/index.json</pre>
 */
public final class ReportSummarizer {

    /** One case of one agent, as the summary needs it. */
    record Row(String agent, String id, Verdict verdict, String expectation, String result) {
        int group() {
            return Integer.parseInt(id.substring(0, id.indexOf('.')));
        }
    }

    private ReportSummarizer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ReportSummarizer path/to/index.json (or the directory holding it)");
            System.exit(2);
        }
        Path path = Path.of(args[0]);
        if (Files.isDirectory(path)) {
            path = path.resolve("index.json");
        }
        List<Row> rows = read(path);
        System.exit(print(rows, System.out) ? 1 : 0);
    }

    /** Reads an index.json and, for the cases that did not pass, their own report files. */
    static List<Row> read(Path index) throws IOException {
        Object parsed = Json.parse(Files.readString(index, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map<?, ?> agents)) {
            throw new IllegalArgumentException(index + ": expected a JSON object of agents");
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<?, ?> agent : agents.entrySet()) {
            if (!(agent.getValue() instanceof Map<?, ?> cases)) {
                throw new IllegalArgumentException(index + ": agent " + agent.getKey() + " has no cases object");
            }
            for (Map.Entry<?, ?> entry : cases.entrySet()) {
                Map<?, ?> summary = (Map<?, ?>) entry.getValue();
                Verdict verdict = Verdict.fromLabel(String.valueOf(summary.get("behavior")));
                Object close = summary.get("behaviorClose");
                if (close != null) {
                    CloseVerdict.fromLabel(close.toString()); // a label Autobahn does not write is a broken report
                }
                String expectation = "";
                String result = "";
                Object reportFile = summary.get("reportfile");
                if (verdict != Verdict.OK && reportFile != null) {
                    Path file = index.resolveSibling(reportFile.toString());
                    if (Files.exists(file)) {
                        Map<?, ?> report = (Map<?, ?>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
                        expectation = text(report.get("expectation"));
                        result = (text(report.get("result")) + " " + text(report.get("resultClose"))).trim();
                    } else {
                        result = "(case report " + reportFile + " not found)";
                    }
                }
                rows.add(new Row(agent.getKey().toString(), entry.getKey().toString(), verdict, expectation, result));
            }
        }
        rows.sort((a, b) -> a.agent().equals(b.agent()) ? ConformanceCase.compareIds(a.id(), b.id())
                : a.agent().compareTo(b.agent()));
        return rows;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** Prints the per-group table and the failures; returns whether the run should fail. */
    static boolean print(List<Row> rows, PrintStream out) {
        boolean fails = false;
        Map<String, List<Row>> byAgent = new TreeMap<>();
        for (Row row : rows) {
            byAgent.computeIfAbsent(row.agent(), a -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<String, List<Row>> agent : byAgent.entrySet()) {
            out.println("agent " + agent.getKey() + ": " + agent.getValue().size() + " cases");
            out.printf("%-6s", "group");
            for (Verdict verdict : Verdict.values()) {
                out.printf(" %14s", verdict.label());
            }
            out.println();
            Map<Integer, Map<Verdict, Integer>> counts = new TreeMap<>();
            for (int group = 1; group <= 13; group++) {
                counts.put(group, new EnumMap<>(Verdict.class));
            }
            Map<Verdict, Integer> totals = new EnumMap<>(Verdict.class);
            for (Row row : agent.getValue()) {
                counts.computeIfAbsent(row.group(), g -> new EnumMap<>(Verdict.class)).merge(row.verdict(), 1,
                        Integer::sum);
                totals.merge(row.verdict(), 1, Integer::sum);
            }
            for (Map.Entry<Integer, Map<Verdict, Integer>> group : counts.entrySet()) {
                out.printf("%-6s", group.getKey());
                for (Verdict verdict : Verdict.values()) {
                    out.printf(" %14d", group.getValue().getOrDefault(verdict, 0));
                }
                out.println();
            }
            out.printf("%-6s", "all");
            for (Verdict verdict : Verdict.values()) {
                out.printf(" %14d", totals.getOrDefault(verdict, 0));
            }
            out.println();
            for (Row row : agent.getValue()) {
                if (row.verdict().failsTheRun()) {
                    fails = true;
                    out.println(row.verdict().label() + " " + row.id());
                    out.println("    expected: " + row.expectation());
                    out.println("    received: " + row.result());
                }
            }
        }
        return fails;
    }
}
