package dev.wsreactor.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An expected-results file: the verdict of every case for one server, kept in the repository so that any change
 * of verdict (better or worse) fails the build until the file is updated on purpose, with
 * {@code -Dconformance.update=true}. Conformance becomes a regression test.
 *
 * <p>A verdict may be written as alternatives, {@code "OK|NON-STRICT"}, for a server whose verdict depends on how
 * TCP happens to split the bytes (ours never needs this; other servers may).
 */
final class ExpectedVerdicts {

    private ExpectedVerdicts() {
    }

    static final boolean UPDATE = Boolean.getBoolean("conformance.update");

    /**
     * For a run of some of the cases (the TLS run of groups 1 to 10): the differences between the file and the
     * results for those cases only. Never writes the file, whatever {@code conformance.update} says.
     */
    static List<String> compareSubset(Path file, List<CaseResult> results) throws IOException {
        Map<?, ?> expected = (Map<?, ?>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        List<String> differences = new ArrayList<>();
        for (CaseResult result : results) {
            String id = result.testCase().id();
            Object was = expected.get(id);
            String now = result.verdict().label();
            if (was == null) {
                differences.add(id + ": not in " + file + ", now " + now);
            } else if (!List.of(was.toString().split("\\|")).contains(now)) {
                differences.add(id + ": expected " + was + ", now " + now);
            }
        }
        return differences;
    }

    /**
     * For a peer whose verdicts are pinned (some FAILED on record): one line when every verdict is as pinned, so a
     * passing build shows no FAILED lines; otherwise the whole summary and, for each changed case, its wire log.
     *
     * @return the differences, as {@link #compare} gives them
     */
    static List<String> checkPinned(Path file, String agent, List<CaseResult> results) throws IOException {
        List<String> changes = compare(file, results);
        if (changes.isEmpty()) {
            System.out.println(agent + ": " + results.size() + " cases, every verdict as pinned in " + file);
            return changes;
        }
        ReportSummarizer.print(ConformanceMain.rows(agent, results), System.out);
        for (CaseResult r : results) {
            if (changes.stream().anyMatch(change -> change.startsWith(r.testCase().id() + ":"))) {
                System.out.println("changed " + r.testCase().id() + ": " + r.result() + " " + r.resultClose()
                        + "\n  " + String.join("\n  ", r.wireLog()));
            }
        }
        return changes;
    }

    /** The differences between the file and the results, one line each; empty when they agree. */
    static List<String> compare(Path file, List<CaseResult> results) throws IOException {
        Map<String, String> actual = new LinkedHashMap<>();
        for (CaseResult result : results) {
            actual.put(result.testCase().id(), result.verdict().label());
        }
        if (UPDATE) {
            if (Files.exists(file)) {
                // Keep alternatives written by hand ("OK|NON-STRICT") that still cover the verdict.
                Map<?, ?> previous = (Map<?, ?>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
                for (Map.Entry<String, String> entry : actual.entrySet()) {
                    Object was = previous.get(entry.getKey());
                    if (was != null && was.toString().contains("|")
                            && List.of(was.toString().split("\\|")).contains(entry.getValue())) {
                        entry.setValue(was.toString());
                    }
                }
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, Json.write(actual), StandardCharsets.UTF_8);
            return List.of();
        }
        if (!Files.exists(file)) {
            return List.of(file + " is missing: run with -Dconformance.update=true to create it");
        }
        Map<?, ?> expected = (Map<?, ?>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> entry : actual.entrySet()) {
            Object was = expected.get(entry.getKey());
            if (was == null) {
                differences.add(entry.getKey() + ": new case, now " + entry.getValue());
            } else if (!List.of(was.toString().split("\\|")).contains(entry.getValue())) {
                differences.add(entry.getKey() + ": expected " + was + ", now " + entry.getValue());
            }
        }
        for (Object id : expected.keySet()) {
            if (!actual.containsKey(id.toString())) {
                differences.add(id + ": case no longer run");
            }
        }
        return differences;
    }
}
