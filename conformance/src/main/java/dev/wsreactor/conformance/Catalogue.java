package dev.wsreactor.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every case the harness knows, in Autobahn's numbering. The cases are written from the testsuite's public case
 * descriptions; each group lives in its own class.
 */
final class Catalogue {

    private final List<ConformanceCase> cases = new ArrayList<>();

    void add(String id, String description, String expectation, ConformanceCase.Script script) {
        add(id, description, expectation, ConformanceCase.DEFAULT_TIMEOUT, script);
    }

    void add(String id, String description, String expectation, Duration timeout, ConformanceCase.Script script) {
        add(id, description, expectation, timeout, null, script);
    }

    /** A case whose connection offers this extension (the compression groups). */
    void add(String id, String description, String expectation, Duration timeout, String extensionOffer,
            ConformanceCase.Script script) {
        for (ConformanceCase existing : cases) {
            if (existing.id().equals(id)) {
                throw new IllegalStateException("case " + id + " defined twice");
            }
        }
        cases.add(new ConformanceCase(id, description, expectation, timeout, extensionOffer, script));
    }

    /** All cases, in case-number order, groups 12 and 13 with their quick message count. */
    static List<ConformanceCase> all() {
        return all(false);
    }

    /** All cases; {@code full}: groups 12 and 13 send Autobahn's 1,000 messages per case. */
    static List<ConformanceCase> all(boolean full) {
        Catalogue catalogue = new Catalogue();
        FramingCases.register(catalogue);
        PingPongCases.register(catalogue);
        ReservedBitsAndOpcodesCases.register(catalogue);
        FragmentationCases.register(catalogue);
        Utf8Cases.register(catalogue);
        CloseCases.register(catalogue);
        LimitCases.register(catalogue);
        CompressionCases.register(catalogue, full);
        List<ConformanceCase> sorted = new ArrayList<>(catalogue.cases);
        sorted.sort((a, b) -> ConformanceCase.compareIds(a.id(), b.id()));
        return List.copyOf(sorted);
    }

    /**
     * A filter from patterns like {@code 1.*}, {@code 6.4.3} or {@code 9.1.*}, comma-separated; {@code *} or an
     * empty string selects every case.
     */
    static Predicate<ConformanceCase> selection(String patterns) {
        if (patterns == null || patterns.isBlank() || patterns.equals("*")) {
            return c -> true;
        }
        List<Predicate<ConformanceCase>> any = new ArrayList<>();
        for (String raw : patterns.split(",")) {
            String pattern = raw.trim();
            if (pattern.endsWith("*")) {
                String prefix = pattern.substring(0, pattern.length() - 1);
                any.add(c -> c.id().startsWith(prefix));
            } else {
                any.add(c -> c.id().equals(pattern));
            }
        }
        return c -> any.stream().anyMatch(p -> p.test(c));
    }
}
