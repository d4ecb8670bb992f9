package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** closeWhenIdle: the OPEN --IDLE_TIMEOUT--> CLOSING_BY_US row, and what counts as a message. */
class IdleCloseTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private static ServerFixture open(Duration pingInterval) {
        return ServerFixture.open(ConnectionConfig.builder().closeWhenIdle(Duration.ofSeconds(10))
                .pingInterval(pingInterval).build());
    }

    private static void advance(ServerFixture fixture, long nanos) {
        fixture.now += nanos;
        fixture.connection.onTimer(fixture.now);
    }

    @Test
    void aSessionWithNoMessageEitherWayIsClosedWith1001() {
        ServerFixture fixture = open(Duration.ZERO);
        assertEquals(fixture.now + 10 * SECOND, fixture.connection.nextDeadlineNanos());
        advance(fixture, 10 * SECOND);
        assertEquals(ConnectionState.CLOSING_BY_US, fixture.connection.state());
        List<String> frames = fixture.sentFrames();
        assertEquals(1, frames.size());
        assertEquals(ServerFixture.closeFrame(1001) + RecordingFrameListener.hex(ByteBuffer.wrap(
                "idle timeout".getBytes(java.nio.charset.StandardCharsets.UTF_8))), frames.get(0));
        fixture.receive(Frames.start().clientClose(1001, "").bytes());
        assertEquals(ConnectionState.CLOSE_ACKNOWLEDGED, fixture.connection.state());
    }

    @Test
    void messagesEitherWayStartTheIdleClockOver() {
        ServerFixture fixture = open(Duration.ZERO);
        advance(fixture, 9 * SECOND);
        fixture.connection.sendText("from us");
        advance(fixture, 9 * SECOND);
        fixture.receive(Frames.start().clientText("from them").bytes());
        advance(fixture, 9 * SECOND);
        assertEquals(ConnectionState.OPEN, fixture.connection.state());
        advance(fixture, SECOND);
        assertEquals(ConnectionState.CLOSING_BY_US, fixture.connection.state());
    }

    @Test
    void pingsAndPongsDoNotKeepAnIdleSessionOpen() {
        ServerFixture fixture = open(Duration.ofSeconds(3));
        for (int i = 0; i < 3; i++) {
            advance(fixture, 3 * SECOND); // our keepalive Ping
            fixture.receive(Frames.start().client(Opcode.PONG, true, new byte[0]).bytes());
        }
        assertEquals(ConnectionState.OPEN, fixture.connection.state());
        fixture.receive(Frames.start().client(Opcode.PING, true, new byte[0]).bytes());
        advance(fixture, SECOND);
        assertEquals(ConnectionState.CLOSING_BY_US, fixture.connection.state(), "10 s since the open, pings aside");
    }

    @Test
    void offByDefault() {
        ServerFixture fixture = ServerFixture.open(ConnectionConfig.builder().pingInterval(Duration.ZERO).build());
        assertEquals(Connection.NO_DEADLINE, fixture.connection.nextDeadlineNanos());
    }
}
