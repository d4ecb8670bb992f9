package dev.wsreactor.examples.seats;

import java.util.TreeSet;

/**
 * Which store versions a node has seen, to notice a change it never heard of (a publish lost while Redis was
 * away, a node that was not subscribed yet). Versions are the store's change count, so they come without holes:
 * everything up to {@link #contiguous()} is seen, and a later version seen early waits in {@code ahead}.
 */
final class VersionGaps {

    private long contiguous;
    private final TreeSet<Long> ahead = new TreeSet<>();

    /** Starts over from a snapshot: every change up to that version is in it. */
    void reset(long version) {
        contiguous = version;
        ahead.headSet(version, true).clear();
        drain();
    }

    void seen(long version) {
        if (version == contiguous + 1) {
            contiguous = version;
            drain();
        } else if (version > contiguous) {
            ahead.add(version);
        }
    }

    /** Every version up to this one has been seen. */
    long contiguous() {
        return contiguous;
    }

    private void drain() {
        while (!ahead.isEmpty() && ahead.first() == contiguous + 1) {
            contiguous = ahead.pollFirst();
        }
    }
}
