package dev.wsreactor.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a case expects, in the terms of Autobahn's {@code Case}: the lists of events that earn each verdict, how
 * the close must go ({@code expectedClose}), and what the case decides for itself; and Autobahn's judgement of
 * what happened against it ({@code Case.onConnectionLost}).
 */
final class Expectation {

    /** Autobahn's {@code expected}: events that earn OK, and for some cases events that earn NON-STRICT. */
    private final Map<Verdict, List<Observed>> expected = new LinkedHashMap<>();
    // Autobahn's expectedClose.
    private boolean closedByMe = true;
    private int[] closeCodes = {1000};
    private boolean requireClean = true;
    // What the case decides itself instead of comparing events (groups 9, 12 and 13 do).
    private Verdict decided;
    private String decidedResult;
    private boolean wrongCodeFails;
    private boolean informational;

    Expectation() {
        expected.put(Verdict.OK, new ArrayList<>());
    }

    void add(Verdict verdict, Observed event) {
        expected.computeIfAbsent(verdict, v -> new ArrayList<>()).add(event);
    }

    void alternative(Verdict verdict, List<Observed> events) {
        expected.put(verdict, new ArrayList<>(events));
    }

    List<Observed> ok() {
        return expected.get(Verdict.OK);
    }

    Map<Verdict, List<Observed>> all() {
        return expected;
    }

    void close(boolean byMe, boolean clean, int... codes) {
        closedByMe = byMe;
        requireClean = clean;
        closeCodes = codes.clone();
    }

    boolean closedByMe() {
        return closedByMe;
    }

    int firstCloseCode() {
        return closeCodes[0];
    }

    void decide(Verdict verdict, String result) {
        decided = verdict;
        decidedResult = result;
    }

    /** The 7.x rule: a wrong close code fails the case, not only its close. */
    void wrongCodeFails() {
        wrongCodeFails = true;
    }

    /** 7.1.6 and 7.13.x: whatever happens is recorded, never judged. */
    void informational() {
        informational = true;
    }

    /** Autobahn's finishWhenDone: the received events match every expected list, so the case is done. */
    boolean matchesEveryList(List<Observed> received) {
        return decided == null && expected.values().stream().allMatch(received::equals);
    }

    CaseResult judge(ConformanceCase testCase, List<Observed> received, Closing closing, long millis,
            List<String> wireLog) {
        Verdict behavior = Verdict.FAILED;
        String result = "Actual events differ from any expected. Expected " + limit(describe()) + "; received "
                + limit(received.toString()) + ".";
        if (decided != null) {
            behavior = decided;
            result = decidedResult;
        } else {
            for (Map.Entry<Verdict, List<Observed>> entry : expected.entrySet()) {
                if (entry.getValue().equals(received)) {
                    behavior = entry.getKey();
                    result = "Actual events match at least one expected.";
                    break;
                }
            }
        }
        CloseVerdict behaviorClose;
        String resultClose;
        Integer code = closing.remoteCloseCode();
        if (closedByMe != closing.closedByMe()) {
            behaviorClose = CloseVerdict.FAILED;
            resultClose = "The connection was failed by the wrong endpoint";
        } else if (requireClean && !closing.wasClean()) {
            behaviorClose = CloseVerdict.UNCLEAN;
            resultClose = "The spec requires the connection to be failed cleanly here";
        } else if (code != null && Arrays.stream(closeCodes).noneMatch(c -> c == code)) {
            behaviorClose = CloseVerdict.WRONG_CODE;
            resultClose = "The close code should have been " + Arrays.stream(closeCodes).mapToObj(Integer::toString)
                    .collect(Collectors.joining(",")) + " or empty";
        } else if (closing.droppedByMe()) {
            behaviorClose = CloseVerdict.FAILED_BY_CLIENT;
            resultClose = "It is preferred that the server close the TCP connection";
        } else {
            behaviorClose = CloseVerdict.OK;
            resultClose = "Connection was properly closed";
        }
        if (closing.wasNotCleanReason() != null) {
            resultClose += " (" + closing.wasNotCleanReason() + ")";
        }
        if (wrongCodeFails && behaviorClose == CloseVerdict.WRONG_CODE) {
            behavior = Verdict.FAILED;
            result = resultClose;
        }
        if (informational) {
            result = behavior == Verdict.OK ? "Actual events match the first outcome the case describes."
                    : behavior == Verdict.NON_STRICT ? "Actual events match the second outcome the case describes."
                    : "Actual events are undefined by the spec.";
            behavior = Verdict.INFORMATIONAL;
            behaviorClose = CloseVerdict.INFORMATIONAL;
        }
        return new CaseResult(testCase, behavior, behaviorClose, result, resultClose,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(expected)),
                List.copyOf(received), closing, millis, wireLog);
    }

    /** As Autobahn's report shortens what it shows (MAX_CASE_PICKLE_LEN). */
    private static String limit(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 996) + " ...";
    }

    private String describe() {
        return expected.entrySet().stream().map(e -> e.getKey().label() + ": " + e.getValue())
                .collect(Collectors.joining(" or "));
    }
}
