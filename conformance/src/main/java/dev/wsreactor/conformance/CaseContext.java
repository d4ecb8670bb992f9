package dev.wsreactor.conformance;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.MessageDeflater;
import dev.wsreactor.protocol.internal.Opcode;
import dev.wsreactor.protocol.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a case script works with, in the terms of Autobahn's {@code Case}: sending (whole, chopped, legal or not),
 * stating what earns each verdict and how the close must go, and its timers ({@code killAfter},
 * {@code closeAfter}, {@code continueLater}). After the script, {@link #finish()} runs the connection to its end
 * as Autobahn's client does, and {@link #verdict} judges it the way Autobahn's {@code Case} does.
 */
final class CaseContext {

    /** Write the frames with one write. */
    static final int ONE_CHOP = 0;
    /** Write each frame with its own write (Autobahn's {@code sync=True}). */
    static final int PER_FRAME = -1;
    /** Autobahn's client defaults: how long it waits for the server's Close, and then for the server's TCP close. */
    private static final Duration CLOSE_HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SERVER_DROP_TIMEOUT = Duration.ofSeconds(1);
    private static final long NONE = Long.MAX_VALUE;

    private final WireClient client;
    private final WireLog log;
    private final ServerEvents server;
    private final Expectation expectation = new Expectation();
    private long killAt;
    private long closeAt = NONE;
    private MessageDeflater compressor;
    private boolean scriptDone; // Autobahn's cases react to events; ours run a script first, then react

    /** @param killAfter when the harness drops the connection if it has not ended (Autobahn's killAfter) */
    CaseContext(WireClient client, WireLog log, Duration killAfter) {
        this.client = client;
        this.log = log;
        this.server = new ServerEvents(client, log);
        this.killAt = System.nanoTime() + killAfter.toNanos();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sending

    /** One masked frame's bytes. */
    static byte[] frame(int opcodeBits, boolean fin, int rsv, byte[] payload) {
        return WireClient.encode(opcodeBits, fin, rsv, true, payload);
    }

    static byte[] frame(Opcode opcode, boolean fin, byte[] payload) {
        return frame(opcode.code(), fin, 0, payload);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends a whole message in one frame. */
    void send(Opcode opcode, byte[] payload) throws IOException {
        sendFrame(opcode.code(), true, 0, payload, ONE_CHOP);
    }

    void sendText(String text) throws IOException {
        send(Opcode.TEXT, utf8(text));
    }

    /** Sends one frame, in chops of {@code chop} octets (0: one write); a Close sent this way changes no state. */
    void sendFrame(int opcodeBits, boolean fin, int rsv, byte[] payload, int chop) throws IOException {
        byte[] bytes = frame(opcodeBits, fin, rsv, payload);
        log.sent("frame", opcodeBits, fin, rsv, payload, bytes.length, chop);
        client.write(bytes, chop);
    }

    /** Sends frames already encoded: all in one write, one write each ({@link #PER_FRAME}), or in chops. */
    void sendFrames(int chop, byte[]... frames) throws IOException {
        if (chop == PER_FRAME) {
            for (byte[] frame : frames) {
                log.note("TX " + frame.length + " octets (one frame, one write)");
                client.writeSynchronously(frame);
            }
            return;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            all.writeBytes(frame);
        }
        log.note("TX " + frames.length + " frames, " + all.size() + " octets"
                + (chop > 0 ? " in chops of " + chop : " in one write"));
        client.write(all.toByteArray(), chop);
    }

    /** Starts the closing handshake with this code and reason (a code of -1 sends an empty payload). */
    void sendClose(int code, String reason) throws IOException {
        byte[] reasonBytes = utf8(reason);
        if (code < 0) {
            sendCloseRaw(new byte[0]);
            return;
        }
        byte[] payload = new byte[2 + reasonBytes.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reasonBytes, 0, payload, 2, reasonBytes.length);
        sendCloseRaw(payload);
    }

    /** Autobahn's sendCloseFrame: a Close with this payload, which starts the closing handshake; once only. */
    void sendCloseRaw(byte[] payload) throws IOException {
        if (!server.isOpen()) {
            log.note("not sending Close: the connection is closing");
            return;
        }
        server.closeSent(false);
        sendFrame(Opcode.CLOSE.code(), true, 0, payload, ONE_CHOP);
    }

    /** Whether the server accepted our permessage-deflate offer. */
    boolean compressionAgreed() {
        return client.deflate() != null;
    }

    /**
     * Sends a message compressed (RFC 7692 §7.2.1), auto-fragmented into frames of {@code fragmentSize} octets
     * (0: one frame), keeping every back-reference within the window the server allows us.
     */
    void sendCompressed(Opcode opcode, byte[] payload, int fragmentSize) throws IOException {
        if (compressor == null) {
            compressor = new MessageDeflater(6);
        }
        ByteBuffer compressed = compressor.compress(ByteBuffer.wrap(payload),
                client.ownNoContextTakeover(), client.deflate().windowBitsOf(client.role()));
        byte[] bytes = new byte[compressed.remaining()];
        compressed.get(bytes);
        if (fragmentSize <= 0 || bytes.length <= fragmentSize) {
            sendFrame(opcode.code(), true, DeflateConfig.RSV1, bytes, ONE_CHOP);
            return;
        }
        List<byte[]> frames = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += fragmentSize) {
            int end = Math.min(bytes.length, at + fragmentSize);
            frames.add(frame(at == 0 ? opcode.code() : Opcode.CONTINUATION.code(), end == bytes.length,
                    at == 0 ? DeflateConfig.RSV1 : 0, Arrays.copyOfRange(bytes, at, end)));
        }
        sendFrames(ONE_CHOP, frames.toArray(byte[][]::new));
    }

    // ---------------------------------------------------------------------------------------------------------
    // What earns each verdict (Autobahn's expected and expectedClose)

    void expectText(String text) {
        expectation.add(Verdict.OK, Observed.message(utf8(text), false));
    }

    void expectText(byte[] utf8) {
        expectation.add(Verdict.OK, Observed.message(utf8, false));
    }

    void expectBinary(byte[] payload) {
        expectation.add(Verdict.OK, Observed.message(payload, true));
    }

    void expectPong(byte[] payload) {
        expectation.add(Verdict.OK, Observed.pong(payload));
    }

    /** Events that earn NON-STRICT instead of OK (for example: no echo at all). */
    void nonStrictAlternative(List<Observed> alternative) {
        expectation.alternative(Verdict.NON_STRICT, alternative);
    }

    /** Another list of events for this verdict (6.4's timeouts). */
    void expectEvents(Verdict verdict, List<Observed> events) {
        expectation.alternative(verdict, events);
    }

    /** The server must fail the connection: it closes first, with one of these codes or none; clean or not. */
    void expectFail(int... codes) {
        expectation.close(false, false, codes);
    }

    /** The harness closes (or has closed) and the handshake must be clean, the server's code one of these. */
    void expectCleanClose(int... codes) {
        expectation.close(true, true, codes);
    }

    /** The harness closes with a Close the server must reject: one of these codes or none, clean or not. */
    void expectCloseRejected(int... codes) {
        expectation.close(true, false, codes);
    }

    /** The 7.x rule: a close code outside the expected ones fails the case itself. */
    void wrongCodeFails() {
        expectation.wrongCodeFails();
    }

    /** The RFC leaves the outcome open: record what happens, never judge it. */
    void informational() {
        expectation.informational();
    }

    /** The case sets its verdict itself (groups 12 and 13 do, as Autobahn's do), instead of comparing events. */
    void decide(Verdict verdict, String result) {
        expectation.decide(verdict, result);
    }

    /** The server does not implement what the case tests. */
    void unimplemented(String reason) {
        decide(Verdict.UNIMPLEMENTED, "Unimplemented: " + reason + ".");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Timers and waiting

    /** Autobahn's killAfter: drop TCP after this long from now if the connection has not ended. */
    void killAfter(Duration delay) {
        killAt = System.nanoTime() + delay.toNanos();
    }

    /** Autobahn's closeAfter: start the closing handshake after this long from now if still open. */
    void closeAfter(Duration delay) {
        closeAt = System.nanoTime() + delay.toNanos();
    }

    /** Autobahn's continueLater: handle what arrives for this long, then go on with the script. */
    void pause(Duration delay) throws IOException {
        long until = System.nanoTime() + delay.toNanos();
        while (!server.isTcpClosed() && until - System.nanoTime() > 0) {
            step(until);
        }
    }

    /** Autobahn's STATE_OPEN: neither side has sent a Close and TCP is up. */
    boolean isOpen() {
        return server.isOpen();
    }

    /** 6.4: a wait passed with the connection open, which goes in the received list as Autobahn's does. */
    void timeoutPassed(String tag) {
        server.received().add(Observed.timeout(tag));
    }

    /** Handles what arrives until as many events as the OK list holds have come, the connection closed, or time ran out. */
    void awaitExpected() throws IOException {
        int wanted = expectation.ok().size();
        while (server.received().size() < wanted && !server.isTcpClosed() && killAt - System.nanoTime() > 0) {
            step(killAt);
        }
    }

    /** Handles what arrives until the received list is longer than {@code count}, TCP closed, or the deadline. */
    void awaitAnother(int count, long deadline) throws IOException {
        while (server.received().size() <= count && !server.isTcpClosed() && deadline - System.nanoTime() > 0) {
            step(deadline);
        }
    }

    /** The events received so far. */
    List<Observed> received() {
        return server.received();
    }

    // ---------------------------------------------------------------------------------------------------------
    // To the end, and the verdict

    /** After the script: Autobahn's finishWhenDone once, then the connection runs to its end under the timers. */
    void finish() throws IOException {
        try {
            scriptDone = true;
            finishWhenDone();
            while (!server.isTcpClosed()) {
                step(NONE);
            }
        } finally {
            server.end();
            if (compressor != null) {
                compressor.close();
            }
        }
    }

    CaseResult verdict(ConformanceCase testCase, long durationMillis) {
        return expectation.judge(testCase, server.received(), server.closing(), durationMillis, log.lines());
    }

    /** Handles one event or fires the timer that is due, waiting no later than {@code until}. */
    private void step(long until) throws IOException {
        long deadline = Math.min(until, nextTimer());
        long left = Math.max(0, deadline - System.nanoTime());
        WireClient.Event event = client.next(Duration.ofNanos(left)); // what has arrived comes before any timer
        if (event != null) {
            if (server.take(event)) {
                finishWhenDone();
            }
            return;
        }
        fireTimers();
    }

    private long nextTimer() {
        long next = Math.min(killAt, closeAt);
        long awaitingClose = server.awaitingCloseSince();
        if (awaitingClose >= 0) {
            next = Math.min(next, awaitingClose + CLOSE_HANDSHAKE_TIMEOUT.toNanos());
        }
        long awaitingTcp = server.awaitingTcpCloseSince();
        if (awaitingTcp >= 0) {
            next = Math.min(next, awaitingTcp + SERVER_DROP_TIMEOUT.toNanos());
        }
        return next;
    }

    private void fireTimers() throws IOException {
        long now = System.nanoTime();
        long awaitingClose = server.awaitingCloseSince();
        long awaitingTcp = server.awaitingTcpCloseSince();
        if (awaitingTcp >= 0 && now - (awaitingTcp + SERVER_DROP_TIMEOUT.toNanos()) >= 0) {
            server.serverDidNotCloseTcp();
        } else if (awaitingClose >= 0 && now - (awaitingClose + CLOSE_HANDSHAKE_TIMEOUT.toNanos()) >= 0) {
            server.drop("no Close came back within " + CLOSE_HANDSHAKE_TIMEOUT.toSeconds() + " s");
        } else if (now - killAt >= 0) {
            killAt = NONE;
            server.fail(1001, "the case's time ran out (killAfter)");
        } else if (now - closeAt >= 0) {
            closeAt = NONE;
            if (server.isOpen()) {
                log.note("closeAfter: time to close");
                sendCloseRaw(new byte[0]); // Autobahn's closeAfter sends a Close without a code
            }
        }
    }

    /** Autobahn's finishWhenDone: once the events match every expected list, the harness closes if it should. */
    private void finishWhenDone() throws IOException {
        if (scriptDone && expectation.closedByMe() && server.isOpen()
                && expectation.matchesEveryList(server.received())) {
            sendClose(expectation.firstCloseCode(), "");
        }
    }
}
