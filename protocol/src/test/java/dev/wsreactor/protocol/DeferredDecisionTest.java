package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.handshake.HandshakeDecision;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The AWAITING_DECISION rows: a valid request whose decision the application gives later, or never. */
class DeferredDecisionTest {

    private static final byte[] REQUEST = ServerFixture.RFC_REQUEST.getBytes(StandardCharsets.US_ASCII);

    private static ServerFixture deferring() {
        ServerFixture fixture = new ServerFixture(ConnectionConfig.builder().handshakeTimeout(Duration.ofSeconds(2))
                .build());
        fixture.listener.deferDecision = true;
        fixture.listener.echo = true;
        return fixture;
    }

    private static byte[] requestThen(Frames frames) {
        byte[] early = frames.bytes();
        byte[] both = new byte[REQUEST.length + early.length];
        System.arraycopy(REQUEST, 0, both, 0, REQUEST.length);
        System.arraycopy(early, 0, both, REQUEST.length, early.length);
        return both;
    }

    @Test
    void earlyFramesWaitUnreadForTheAcceptAndAreEchoedAfterThe101() {
        ServerFixture fixture = deferring();
        fixture.receive(requestThen(Frames.start().clientText("early")));
        assertEquals(ConnectionState.AWAITING_DECISION, fixture.connection.state());
        assertEquals("/chat", fixture.listener.asked.get(0).path());
        assertTrue(fixture.connection.holdsInput(), "the early frame is held");
        fixture.receive(Frames.start().clientText("later").bytes()); // an I/O layer that read on anyway: held too
        assertEquals("", fixture.drainText(), "nothing is answered before the decision");
        assertEquals(List.of(), fixture.listener.events);

        assertTrue(fixture.connection.decide(HandshakeDecision.accept(Map.of("user", "ada"))
                .withHeader("Set-Cookie", "seen=1; HttpOnly"), fixture.now));
        String response = fixture.drainText();
        assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), response);
        assertTrue(response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSet-Cookie: seen=1;"
                + " HttpOnly\r\n"), response);
        assertEquals(ConnectionState.OPEN, fixture.connection.state());
        assertFalse(fixture.connection.holdsInput());
        assertEquals(List.of("open"), fixture.listener.events, "onOpen first; the frames on the next turn");
        assertTrue(fixture.connection.hasPendingInput());
        assertEquals(fixture.now + 1, fixture.connection.nextDeadlineNanos());

        fixture.connection.resumeInput(fixture.now);
        assertEquals(List.of("open", "text:early", "text:later"), fixture.listener.events, "in wire order");
        assertEquals(List.of(ServerFixture.textFrame("early"), ServerFixture.textFrame("later")),
                fixture.sentFrames());
    }

    @Test
    void aRejectionSendsItsStatusHeadersAndReasonAndDropsTheHeldBytes() {
        ServerFixture fixture = deferring();
        fixture.receive(requestThen(Frames.start().clientText("early")));
        assertTrue(fixture.connection.decide(HandshakeDecision.reject(401, "unknown token")
                .withHeader("WWW-Authenticate", "Bearer"), fixture.now));
        String response = fixture.drainText();
        assertTrue(response.startsWith("HTTP/1.1 401 Unauthorized\r\n"), response);
        assertTrue(response.contains("WWW-Authenticate: Bearer\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\nunknown token\n"), response);
        assertEquals(ConnectionState.REJECTING, fixture.connection.state());
        assertFalse(fixture.connection.hasPendingInput());
        assertTrue(fixture.connection.shouldCloseTransport());
        assertEquals(List.of(), fixture.listener.events);
    }

    @Test
    void theHandshakeTimerStillRunsAndALateDecisionIsDropped() {
        ServerFixture fixture = deferring();
        fixture.receive(REQUEST);
        assertEquals(fixture.now + Duration.ofSeconds(2).toNanos(), fixture.connection.nextDeadlineNanos());
        fixture.now += Duration.ofSeconds(2).toNanos();
        fixture.connection.onTimer(fixture.now);
        assertEquals(ConnectionState.REJECTING, fixture.connection.state(), "as a handshake that timed out");
        assertEquals("", fixture.drainText(), "the same answer as a handshake timeout: none");

        assertFalse(fixture.connection.decide(HandshakeDecision.accept(), fixture.now));
        assertEquals(ConnectionState.REJECTING, fixture.connection.state());
        assertEquals("", fixture.drainText());
        assertEquals(List.of(), fixture.listener.events);
    }

    @Test
    void aDecisionAfterTheClientLeftIsDropped() {
        ServerFixture fixture = deferring();
        fixture.receive(REQUEST);
        fixture.connection.transportClosed(fixture.now);
        assertEquals(ConnectionState.CLOSED, fixture.connection.state());
        assertFalse(fixture.connection.decide(HandshakeDecision.accept(), fixture.now));
        assertFalse(fixture.connection.decide(HandshakeDecision.reject(403, "no"), fixture.now));
        assertEquals(ConnectionState.CLOSED, fixture.connection.state());
        assertTrue(fixture.connection.output().isEmpty());
        assertEquals(List.of(), fixture.listener.events, "never opened, so never closed either");
    }

    @Test
    void theServerGoingAwayWhileItDecidesClosesWithoutAResponse() {
        ServerFixture fixture = deferring();
        fixture.receive(REQUEST);
        fixture.connection.close(CloseCode.GOING_AWAY, "", fixture.now);
        assertEquals(ConnectionState.REJECTING, fixture.connection.state());
        assertFalse(fixture.connection.decide(HandshakeDecision.accept(), fixture.now));
        assertEquals("", fixture.drainText());
    }

    @Test
    void aDecisionGivenAtOnceNeedsNoWait() {
        ServerFixture fixture = new ServerFixture();
        fixture.listener.decision = HandshakeDecision.reject(403, "room is full");
        fixture.receive(REQUEST);
        assertEquals(ConnectionState.REJECTING, fixture.connection.state());
        assertTrue(fixture.drainText().startsWith("HTTP/1.1 403 Forbidden\r\n"));
        assertFalse(fixture.connection.decide(HandshakeDecision.accept(), fixture.now), "nothing was pending");
    }

    @Test
    void aPlainHttpRequestIsNeverAskedAbout() {
        ServerFixture fixture = deferring();
        fixture.receive("GET /page HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of(), fixture.listener.asked);
        assertEquals(ConnectionState.REJECTING, fixture.connection.state());
    }

    @Test
    void aDecisionMayNotSplitTheResponseNorOverrideTheHandshake() {
        HandshakeDecision accept = HandshakeDecision.accept();
        assertThrows(IllegalArgumentException.class, () -> accept.withHeader("Set-Cookie", "a=1\r\nX-Evil: 1"));
        assertThrows(IllegalArgumentException.class, () -> accept.withHeader("Bad Name", "1"));
        assertThrows(IllegalArgumentException.class, () -> accept.withHeader("Sec-WebSocket-Accept", "x"));
        assertThrows(IllegalArgumentException.class, () -> HandshakeDecision.reject(200, "fine"));
        assertThrows(IllegalStateException.class, () -> HandshakeDecision.reject(403, "no").withAttribute("a", 1));
        assertEquals(Map.of("user", "ada", "room", "blue"),
                HandshakeDecision.accept(Map.of("user", "ada")).withAttribute("room", "blue").attributes());
    }
}
