package dev.wsreactor.protocol;

import static dev.wsreactor.protocol.DeflateConnectionTest.RSV1;
import static dev.wsreactor.protocol.DeflateConnectionTest.compress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.internal.Opcode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * Fairness: one turn of the I/O loop inflates at most {@link MessageInflater#SLICE} bytes for a connection; the
 * rest of its input waits inside it ({@code hasPendingInput}) until the loop comes back ({@code resumeInput}).
 */
class InflationSliceTest {

    private static final Pattern PAUSED = Pattern.compile("input paused for this turn after inflating (\\d+) bytes");

    @Test
    void aBombPastTheLimitGets1009AfterSeveralTurnsEachAtMostASlice() {
        long limit = 4 << 20;
        ServerFixture server = DeflateConnectionTest.open(DeflateConfig.defaults(), "permessage-deflate", limit);
        byte[] bomb = compress(new Deflater(9, true), new byte[16 << 20]); // 16 MiB of zeros in ~16 KiB
        server.receive(Frames.start().client(Opcode.BINARY.code(), true, RSV1, bomb));
        int turns = 1;
        while (server.connection.hasPendingInput()) {
            assertEquals(ConnectionState.OPEN, server.connection.state());
            assertEquals(server.now + 1, server.connection.nextDeadlineNanos(), "work waits: the next turn's");
            server.connection.resumeInput(server.now);
            turns++;
            assertTrue(turns < 100, "the bomb must end");
        }
        List<Integer> slices = pausedSlices(server);
        assertEquals(turns - 1, slices.size(), "every turn but the last paused: " + slices);
        assertTrue(slices.stream().allMatch(n -> n <= MessageInflater.SLICE), slices.toString());
        assertTrue(turns > limit / MessageInflater.SLICE, "no turn inflated more than a slice: " + turns);
        assertEquals(ConnectionState.FAILING, server.connection.state());
        assertEquals(CloseCode.MESSAGE_TOO_BIG, server.connection.closeCode());
        assertEquals(List.of(ServerFixture.closeFrame(1009) + RecordingFrameListener.hex(ByteBuffer.wrap(
                Frames.utf8("inflated message larger than " + limit + " bytes")))), server.sentFrames());
        assertFalse(server.connection.hasPendingInput(), "a failed connection keeps no input");
    }

    @Test
    void aBigMessageWaitsAndWhatFollowsItWaitsBehindItInWireOrder() {
        ServerFixture server = bigMessageThenPingThenText();
        assertTrue(server.connection.hasPendingInput());
        assertEquals(List.of("open"), server.listener.events, "nothing is delivered out of order");
        assertEquals(List.of(), server.sentFrames(), "the Ping is not answered before its turn");
        int turns = 0;
        while (server.connection.hasPendingInput() && turns++ < 20) {
            server.connection.resumeInput(server.now);
        }
        assertEquals(List.of("open", "binary:" + BIG_DIGEST, "ping:" + hex("behind"), "text:after"),
                server.listener.events);
        assertEquals(List.of("PONG " + hex("behind")), server.sentFrames());
        assertTrue(pausedSlices(server).size() >= 3, "1 MiB takes four slices: " + pausedSlices(server));
    }

    @Test
    void anIoLayerThatReadsOnAnywayGetsEverythingReadInWireOrderAndNothingHeld() {
        ServerFixture server = bigMessageThenPingThenText();
        server.receive(Frames.start().clientText("read on"));
        assertFalse(server.connection.hasPendingInput(), "no more than one read's worth is ever held");
        assertEquals(List.of("open", "binary:" + BIG_DIGEST, "ping:" + hex("behind"), "text:after", "text:read on"),
                server.listener.events);
    }

    @Test
    void aPauseInsideAFrameGoesOnWhereItStoppedWhenTheRestOfTheFrameComes() {
        // The slice runs out inside a fragment whose rest comes in the next read.
        ServerFixture server = DeflateConnectionTest.open(DeflateConfig.defaults(), "permessage-deflate", 1 << 20);
        server.listener.digest = true;
        byte[] message = new byte[556_543];
        byte[] payload = compress(new Deflater(6, true), message);
        Frames frames = Frames.start();
        for (int at = 0; at < payload.length; at += 100) {
            int end = Math.min(payload.length, at + 100);
            frames.client(at == 0 ? Opcode.BINARY.code() : Opcode.CONTINUATION.code(), end == payload.length,
                    at == 0 ? RSV1 : 0, Arrays.copyOfRange(payload, at, end));
        }
        byte[] wire = frames.bytes();
        int cut = 300; // two frames and a part of the third, which is where the slice runs out
        server.receive(Arrays.copyOf(wire, cut));
        assertTrue(server.connection.hasPendingInput());
        server.receive(Arrays.copyOfRange(wire, cut, wire.length));
        for (int turn = 0; turn < 10 && server.connection.hasPendingInput(); turn++) {
            server.connection.resumeInput(server.now);
        }
        assertEquals(List.of("open", "binary:" + RecordingListener.digest(ByteBuffer.wrap(message))),
                server.listener.events);
    }

    private static final byte[] BIG = new byte[1 << 20];
    private static final String BIG_DIGEST = RecordingListener.digest(ByteBuffer.wrap(BIG));

    private static ServerFixture bigMessageThenPingThenText() {
        ServerFixture server = DeflateConnectionTest.open(DeflateConfig.defaults(), "permessage-deflate", 4 << 20);
        server.listener.digest = true;
        server.receive(Frames.start().client(Opcode.BINARY.code(), true, RSV1, compress(new Deflater(6, true), BIG))
                .client(Opcode.PING, true, Frames.utf8("behind"))
                .clientText("after"));
        return server;
    }

    @Test
    void anIoLayerThatOnlyRunsTheTimersStillMovesOn() {
        ServerFixture server = DeflateConnectionTest.open(DeflateConfig.defaults(), "permessage-deflate", 4 << 20);
        server.listener.digest = true;
        byte[] big = new byte[600_000];
        server.receive(Frames.start().client(Opcode.BINARY.code(), true, RSV1, compress(new Deflater(6, true), big)));
        long receivedAt = server.now;
        int turns = 0;
        while (server.connection.nextDeadlineNanos() == server.now + 1 && turns++ < 20) {
            server.now++; // the loop's next turn, when that timer is due
            server.connection.onTimer(server.now);
        }
        assertEquals(List.of("open", "binary:" + RecordingListener.digest(ByteBuffer.wrap(big))),
                server.listener.events);
        assertFalse(server.connection.hasPendingInput());
        assertEquals(receivedAt + ConnectionConfig.defaults().idleTimeout().toNanos(),
                server.connection.nextDeadlineNanos(), "then the keepalive timer again");
    }

    @Test
    void tcpClosingWhileInputWaitsDropsIt() {
        ServerFixture server = DeflateConnectionTest.open(DeflateConfig.defaults(), "permessage-deflate", 4 << 20);
        server.receive(Frames.start().client(Opcode.BINARY.code(), true, RSV1,
                compress(new Deflater(6, true), new byte[1 << 20])).clientText("lost"));
        assertTrue(server.connection.hasPendingInput());
        server.connection.transportClosed(server.now);
        assertFalse(server.connection.hasPendingInput());
        assertEquals(List.of("open", "close:1006:"), server.listener.events);
        server.connection.resumeInput(server.now);
        assertEquals(2, server.listener.events.size(), "nothing is read after CLOSED");
    }

    @Test
    void manySmallMessagesShareOneSliceAndStillAllArrive() {
        ServerFixture server = DeflateConnectionTest.open(DeflateConfig.defaults(), "permessage-deflate", 1 << 20);
        server.listener.digest = true;
        Deflater client = new Deflater(6, true);
        Frames frames = Frames.start();
        byte[] message = new byte[100_000];
        List<String> expected = new ArrayList<>(List.of("open"));
        for (int i = 0; i < 10; i++) {
            Arrays.fill(message, (byte) i);
            frames.client(Opcode.BINARY.code(), true, RSV1, compress(client, message));
            expected.add("binary:" + RecordingListener.digest(ByteBuffer.wrap(message)));
        }
        server.receive(frames);
        assertTrue(server.connection.hasPendingInput(), "a million bytes are more than one slice");
        while (server.connection.hasPendingInput()) {
            server.connection.resumeInput(server.now);
        }
        assertEquals(expected, server.listener.events);
    }

    private static List<Integer> pausedSlices(ServerFixture server) {
        List<Integer> slices = new ArrayList<>();
        for (String line : server.trace) {
            Matcher m = PAUSED.matcher(line);
            if (m.matches()) {
                slices.add(Integer.parseInt(m.group(1)));
            }
        }
        return slices;
    }

    private static String hex(String text) {
        return RecordingFrameListener.hex(ByteBuffer.wrap(Frames.utf8(text)));
    }
}
