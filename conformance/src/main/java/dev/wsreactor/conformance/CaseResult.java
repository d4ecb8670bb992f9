package dev.wsreactor.conformance;

import java.util.List;
import java.util.Map;

/**
 * What one case observed and the verdicts, in the shape of the Autobahn testsuite's per-case report.
 *
 * @param behavior the case's verdict, which Autobahn's reports count and colour by
 * @param behaviorClose the verdict on how the connection was closed, shown beside it
 * @param result what was expected of the events and what came
 * @param resultClose what was expected of the close and what happened
 * @param expected the events that earn each verdict
 * @param received what the server sent, in order
 * @param closing how the connection ended
 * @param wireLog every frame sent and received
 */
record CaseResult(ConformanceCase testCase, Verdict behavior, CloseVerdict behaviorClose, String result,
        String resultClose, Map<Verdict, List<Observed>> expected, List<Observed> received, Closing closing,
        long durationMillis, List<String> wireLog) {

    /** The case's verdict: Autobahn's {@code behavior}; the close verdict changes it only where the case says. */
    Verdict verdict() {
        return behavior;
    }

    /** The code in the server's Close frame, -1 if it sent none. */
    int remoteCloseCode() {
        return closing.remoteCloseCode() == null ? -1 : closing.remoteCloseCode();
    }
}
