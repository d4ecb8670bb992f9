package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * §5.5.2 keepalive while the I/O layer does not read the peer (its output is backed up): the peer's silence is
 * then ours, so no Ping goes out and no keepalive timeout fails it; reading again restarts the clock. The
 * handshake and closing timers are not keepalive and run on.
 */
class KeepaliveWhileNotReadingTest {

    private static final long SECOND = 1_000_000_000L;
    private static final ConnectionConfig CONFIG = ConnectionConfig.builder().pingInterval(Duration.ofSeconds(10))
            .pongTimeout(Duration.ofSeconds(5)).closeTimeout(Duration.ofSeconds(3)).build();

    @Test
    void aPausedConnectionIsNeitherPingedNorTimedOut() {
        ServerFixture f = ServerFixture.open(CONFIG);
        f.connection.readingPaused(f.now + SECOND);
        assertEquals(Connection.NO_DEADLINE, f.connection.nextDeadlineNanos());
        f.connection.onTimer(f.now + 100 * SECOND);
        assertEquals(List.of(), f.sentFrames(), "no Ping while the server is the one not reading");
        assertEquals(ConnectionState.OPEN, f.connection.state());
    }

    @Test
    void readingAgainRestartsTheIdleClockFromThen() {
        ServerFixture f = ServerFixture.open(CONFIG);
        f.connection.readingPaused(f.now + SECOND);
        long resumedAt = f.now + 60 * SECOND;
        f.connection.readingResumed(resumedAt);
        assertEquals(resumedAt + 10 * SECOND, f.connection.nextDeadlineNanos());
        f.connection.onTimer(resumedAt + 10 * SECOND);
        assertEquals(List.of("PING "), f.sentFrames(), "silent for the idle time after reading resumed");
    }

    @Test
    void aPingAlreadyOutIsNotTimedOutWhileItsAnswerCannotBeRead() {
        ServerFixture f = ServerFixture.open(CONFIG);
        long idleDeadline = f.connection.nextDeadlineNanos();
        f.connection.onTimer(idleDeadline);
        assertEquals(List.of("PING "), f.sentFrames());
        f.connection.readingPaused(idleDeadline + SECOND);
        f.connection.onTimer(idleDeadline + 60 * SECOND);
        assertEquals(ConnectionState.OPEN, f.connection.state(), "the Pong may be waiting behind our pause");
        long resumedAt = idleDeadline + 61 * SECOND;
        f.connection.readingResumed(resumedAt);
        assertEquals(resumedAt + 10 * SECOND, f.connection.nextDeadlineNanos(), "idle again, not waiting");
    }

    @Test
    void aPauseDuringTheHandshakeHoldsOnceOpenButNotTheHandshakeTimer() {
        ServerFixture f = new ServerFixture(CONFIG);
        long handshakeDeadline = f.connection.nextDeadlineNanos();
        f.connection.readingPaused(f.now);
        assertEquals(handshakeDeadline, f.connection.nextDeadlineNanos(), "the handshake timer is not keepalive");
        f.receive(ServerFixture.RFC_REQUEST.getBytes(StandardCharsets.US_ASCII));
        assertTrue(f.drainText().startsWith("HTTP/1.1 101 "));
        assertEquals(Connection.NO_DEADLINE, f.connection.nextDeadlineNanos(), "open, and still not read");
    }

    @Test
    void theClosingTimerRunsWhilePaused() {
        ServerFixture f = ServerFixture.open(CONFIG);
        f.connection.readingPaused(f.now);
        f.connection.close(CloseCode.POLICY_VIOLATION, "slow consumer", f.now);
        assertEquals(f.now + 3 * SECOND, f.connection.nextDeadlineNanos());
        f.connection.onTimer(f.now + 3 * SECOND);
        assertEquals(ConnectionState.FAILING, f.connection.state(), "no Close came back in time");
    }
}
