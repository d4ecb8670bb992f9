package dev.wsreactor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Autobahn's judgement (its Case.onConnectionLost), case by case, without a server. */
class ExpectationTest {

    private static final ConformanceCase CASE = new ConformanceCase("7.5.1", "d", "e",
            ConformanceCase.DEFAULT_TIMEOUT, null, c -> { });
    private static final Observed HELLO = Observed.message(CaseContext.utf8("Hello"), false);

    /** closedByMe, failedByMe, droppedByMe, wasClean, remote code. */
    private static Closing closing(boolean byMe, boolean dropped, boolean clean, Integer code) {
        return new Closing(byMe, dropped, dropped, clean, null, code, "");
    }

    private static CaseResult judge(Expectation expectation, List<Observed> received, Closing closing) {
        return expectation.judge(CASE, received, closing, 1, List.of());
    }

    @Test
    void aServerThatNeverAnswersOurBadCloseIsDroppedByUsAndPassesWithFailedByClient() {
        // Java-WebSocket 1.6.0 in 7.5.1: no answer to a Close with an invalid UTF-8 reason, TCP left open.
        Expectation expectation = new Expectation();
        expectation.close(true, false, 1002, 1007);
        expectation.wrongCodeFails();
        CaseResult result = judge(expectation, List.of(), closing(true, true, false, null));
        assertEquals(Verdict.OK, result.verdict());
        assertEquals(CloseVerdict.FAILED_BY_CLIENT, result.behaviorClose());
    }

    @Test
    void aWrongCodeFailsTheCaseOnlyWhereTheCaseSaysSo() {
        Expectation plain = new Expectation();
        plain.close(true, true, 1000);
        assertEquals(Verdict.OK, judge(plain, List.of(), closing(true, false, true, 1002)).verdict());
        assertEquals(CloseVerdict.WRONG_CODE, judge(plain, List.of(), closing(true, false, true, 1002)).behaviorClose());
        Expectation strict = new Expectation();
        strict.close(true, true, 1000);
        strict.wrongCodeFails();
        CaseResult result = judge(strict, List.of(), closing(true, false, true, 1002));
        assertEquals(Verdict.FAILED, result.verdict());
        assertEquals("The close code should have been 1000 or empty", result.result());
    }

    @Test
    void theCloseIsJudgedInAutobahnsOrder() {
        Expectation serverMustFail = new Expectation();
        serverMustFail.close(false, false, 1002);
        assertEquals(CloseVerdict.FAILED, judge(serverMustFail, List.of(), closing(true, false, true, 1000))
                .behaviorClose(), "the wrong endpoint closed");
        Expectation clean = new Expectation();
        clean.close(true, true, 1000);
        assertEquals(CloseVerdict.UNCLEAN, judge(clean, List.of(), closing(true, true, false, null)).behaviorClose());
        assertEquals(CloseVerdict.OK, judge(clean, List.of(), closing(true, false, true, 1000)).behaviorClose());
        assertEquals(CloseVerdict.OK, judge(serverMustFail, List.of(), closing(false, false, false, null))
                .behaviorClose(), "the server dropped TCP: allowed where a clean close is not required");
    }

    @Test
    void theEventsEarnTheVerdictOfTheListTheyMatch() {
        Expectation expectation = new Expectation();
        expectation.add(Verdict.OK, HELLO);
        expectation.alternative(Verdict.NON_STRICT, List.of());
        expectation.close(false, false, 1002);
        Closing failed = closing(false, false, false, 1002);
        assertEquals(Verdict.OK, judge(expectation, List.of(HELLO), failed).verdict());
        assertEquals(Verdict.NON_STRICT, judge(expectation, List.of(), failed).verdict());
        assertEquals(Verdict.FAILED, judge(expectation, List.of(HELLO, HELLO), failed).verdict());
    }

    @Test
    void informationalCasesAreNeverJudged() {
        Expectation expectation = new Expectation();
        expectation.close(true, false, 1000, 5000, 1002);
        expectation.informational();
        CaseResult result = judge(expectation, List.of(HELLO), closing(false, true, false, 1011));
        assertEquals(Verdict.INFORMATIONAL, result.verdict());
        assertEquals(CloseVerdict.INFORMATIONAL, result.behaviorClose());
    }

    @Test
    void aCaseThatDecidesItselfIsNotComparedAndIsNeverClosedEarly() {
        Expectation expectation = new Expectation();
        expectation.close(true, true, 1000);
        assertEquals(true, expectation.matchesEveryList(List.of()));
        expectation.decide(Verdict.UNIMPLEMENTED, "Unimplemented: no offer accepted.");
        assertEquals(false, expectation.matchesEveryList(List.of()));
        assertEquals(Verdict.UNIMPLEMENTED, judge(expectation, List.of(HELLO), closing(true, false, true, 1000))
                .verdict());
    }
}
