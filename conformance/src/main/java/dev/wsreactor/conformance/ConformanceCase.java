package dev.wsreactor.conformance;

import java.io.IOException;
import java.time.Duration;

/**
 * One case, numbered as in the Autobahn testsuite so results line up with its reports.
 *
 * @param id the case number, e.g. {@code 6.4.3}
 * @param description what the case sends
 * @param expectation what a conforming server does
 * @param timeout how long the case gives the server before the harness drops the connection (Autobahn's
 *     {@code killAfter}; most of its cases give one second)
 * @param extensionOffer the {@code Sec-WebSocket-Extensions} offer of the opening handshake, or null for none
 * @param script the case itself: sends, expectations and waits, through a {@link CaseContext}
 */
record ConformanceCase(String id, String description, String expectation, Duration timeout, String extensionOffer,
        Script script) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    @FunctionalInterface
    interface Script {
        void run(CaseContext context) throws IOException;
    }

    /** The case group, e.g. {@code 6} for {@code 6.4.3}. */
    int group() {
        return Integer.parseInt(id.substring(0, id.indexOf('.')));
    }

    /** The id's numbers, for sorting {@code 6.10.1} after {@code 6.9.2}. */
    int[] numbers() {
        String[] parts = id.split("\\.");
        int[] numbers = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            numbers[i] = Integer.parseInt(parts[i]);
        }
        return numbers;
    }

    static int compareIds(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
