package dev.wsreactor.reactor;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts by a numeric code (close codes, HTTP statuses) kept the way {@link Counters} keeps its figures: the
 * reactor thread adds to a plain map and publishes an immutable copy, only when something changed, once per loop
 * iteration; other threads read the copy.
 */
final class CountsByCode {

    private final TreeMap<Integer, Long> counts = new TreeMap<>();
    private boolean changed; // since the last publish
    private volatile Map<Integer, Long> published = Map.of();

    /** One more of this code, on the reactor thread. */
    void add(int code) {
        counts.merge(code, 1L, Long::sum);
        changed = true;
    }

    /** Copies the counts for other threads if they changed since the last time. */
    void publish() {
        if (changed) {
            changed = false;
            published = Collections.unmodifiableMap(new TreeMap<>(counts));
        }
    }

    /** The published counts, in code order, from any thread. */
    Map<Integer, Long> published() {
        return published;
    }

    /** Several reactors' counts added up, code by code. */
    static Map<Integer, Long> sum(Iterable<Map<Integer, Long>> parts) {
        TreeMap<Integer, Long> total = new TreeMap<>();
        for (Map<Integer, Long> part : parts) {
            part.forEach((code, count) -> total.merge(code, count, Long::sum));
        }
        return Collections.unmodifiableMap(total);
    }
}
