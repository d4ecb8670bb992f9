package dev.wsreactor.conformance;

import java.util.List;

/**
 * What one case observed and the verdicts, in the shape of the Autobahn testsuite's per-case report.
 *
 * @param behavior the verdict on the messages and pongs that came back
 * @param behaviorClose the verdict on how the connection was closed
 * @param result what was expected of the messages and what came
 * @param resultClose what was expected of the close and what happened
 * @param remoteCloseCode the code in the server's Close frame, -1 if it sent none
 * @param closedBy who started the close: "client", "server" or "tcp" (TCP dropped without a Close)
 * @param wireLog every frame sent and received
 */
record CaseResult(ConformanceCase testCase, Verdict behavior, Verdict behaviorClose, String result, String resultClose,
        List<CaseContext.Observed> expected, List<CaseContext.Observed> received, int remoteCloseCode,
        String remoteCloseReason, String closedBy, long durationMillis, List<String> wireLog) {

    /** The case's overall verdict: the worse of the two. */
    Verdict verdict() {
        return behavior.worse(behaviorClose);
    }
}
