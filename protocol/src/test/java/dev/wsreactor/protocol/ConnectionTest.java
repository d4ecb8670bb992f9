package dev.wsreactor.protocol;

import static dev.wsreactor.protocol.ServerFixture.closeFrame;
import static dev.wsreactor.protocol.ServerFixture.textFrame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.internal.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection as a whole: handshake, messages, the closing handshake, failures and timers (RFC 6455). */
class ConnectionTest {

    // --- §4.2: the opening handshake ------------------------------------------------------------------------

    @Test
    void section4_2_2_acceptedHandshakeOpensAndAnswers101() {
        ServerFixture f = new ServerFixture();
        f.receive(ServerFixture.RFC_REQUEST.getBytes(StandardCharsets.US_ASCII));
        String response = f.drainText();
        assertTrue(response.startsWith("HTTP/1.1 101 "), response);
        assertTrue(response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), response);
        assertEquals(ConnectionState.OPEN, f.connection.state());
        assertEquals(List.of("open"), f.listener.events);
        assertEquals("/chat", f.connection.request().path());
    }

    @Test
    void section4_2_1_handshakeArrivingInPiecesStillOpens() {
        ServerFixture f = new ServerFixture();
        for (byte b : ServerFixture.RFC_REQUEST.getBytes(StandardCharsets.US_ASCII)) {
            assertEquals(ConnectionState.HANDSHAKING, f.connection.state());
            f.receive(new byte[] {b});
        }
        assertEquals(ConnectionState.OPEN, f.connection.state());
    }

    @Test
    void section4_2_1_framesInTheSamePacketAsTheRequestAreDecoded() {
        ServerFixture f = new ServerFixture();
        byte[] request = ServerFixture.RFC_REQUEST.getBytes(StandardCharsets.US_ASCII);
        byte[] frame = Frames.start().clientText("early").bytes();
        byte[] both = new byte[request.length + frame.length];
        System.arraycopy(request, 0, both, 0, request.length);
        System.arraycopy(frame, 0, both, request.length, frame.length);
        f.receive(both);
        assertEquals(List.of("open", "text:early"), f.listener.events);
    }

    @Test
    void section4_4_wrongVersionIsRefusedWith426AndNeverOpens() {
        ServerFixture f = new ServerFixture();
        f.receive(ServerFixture.RFC_REQUEST.replace("Version: 13", "Version: 8").getBytes(StandardCharsets.US_ASCII));
        String response = f.drainText();
        assertTrue(response.startsWith("HTTP/1.1 426 "), response);
        assertTrue(response.contains("Sec-WebSocket-Version: 13"), response);
        assertEquals(ConnectionState.REJECTING, f.connection.state());
        assertTrue(f.connection.shouldCloseTransport());
        f.connection.transportClosed(f.now);
        assertEquals(ConnectionState.CLOSED, f.connection.state());
        assertEquals(List.of(), f.listener.events, "neither open nor close is reported for a refused handshake");
    }

    @Test
    void plainHttpRequestGoesToTheListenerOrGets426() {
        ServerFixture served = new ServerFixture();
        served.listener.httpResponse = HttpResponse.text(200, "hello");
        served.receive("GET /page HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(served.drainText().startsWith("HTTP/1.1 200 "));
        assertEquals(List.of("http:GET /page"), served.listener.events);

        ServerFixture unserved = new ServerFixture();
        unserved.receive("GET /page HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(unserved.drainText().startsWith("HTTP/1.1 426 "));
        assertEquals(ConnectionState.REJECTING, unserved.connection.state());
    }

    @Test
    void aPlainGetWithoutUpgradeGets426NamingWhatToUpgradeTo() {
        // What `curl http://host:port/` sends. RFC 9110 §15.5.22: a 426 "MUST send an Upgrade header field".
        ServerFixture f = new ServerFixture();
        f.receive("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        String response = f.drainText();
        assertTrue(response.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), response);
        assertTrue(response.contains("\r\nUpgrade: websocket\r\n"), response);
        assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
        assertEquals(ConnectionState.REJECTING, f.connection.state());
    }

    @Test
    void anApplications426WithoutUpgradeFieldsGetsThem() {
        ServerFixture f = new ServerFixture();
        f.listener.httpResponse = HttpResponse.text(426, "connect with a WebSocket client");
        f.receive("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String response = f.drainText();
        assertTrue(response.startsWith("HTTP/1.1 426 "), response);
        assertTrue(response.contains("\r\nUpgrade: websocket\r\n"), response);
        assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\nconnect with a WebSocket client\n"), response);
        assertEquals(List.of(), f.listener.httpResponse.headers().all("Upgrade"), "the application's object stays");
    }

    @Test
    void section10_4_handshakeTimeoutDropsASilentClient() {
        ServerFixture f = new ServerFixture(ConnectionConfig.builder().handshakeTimeout(Duration.ofSeconds(2)).build());
        assertEquals(f.now + 2_000_000_000L, f.connection.nextDeadlineNanos());
        f.connection.onTimer(f.now + 1_999_999_999L);
        assertEquals(ConnectionState.HANDSHAKING, f.connection.state(), "early timer calls are harmless");
        f.connection.onTimer(f.now + 2_000_000_000L);
        assertEquals(ConnectionState.REJECTING, f.connection.state());
        assertTrue(f.connection.shouldCloseTransport());
    }

    // --- §5.6, §6: data -------------------------------------------------------------------------------------

    @Test
    void section6_2_textAndBinaryMessagesAreDeliveredAndEchoed() {
        ServerFixture f = ServerFixture.open().echoing();
        f.receive(Frames.start().clientText("héllo").client(Opcode.BINARY, true, new byte[] {1, 2, 3}));
        assertEquals(List.of("open", "text:héllo", "binary:010203"), f.listener.events);
        assertEquals(List.of(textFrame("héllo"), "BINARY fin=true rsv=0 len=3 010203"), f.sentFrames());
    }

    @Test
    void section5_4_fragmentedMessageIsReassembled() {
        ServerFixture f = ServerFixture.open();
        f.receive(Frames.start().client(Opcode.TEXT, false, Frames.utf8("fra"))
                .client(Opcode.PING, true, new byte[0])
                .client(Opcode.CONTINUATION, false, Frames.utf8("gmen"))
                .client(Opcode.CONTINUATION, true, Frames.utf8("ted")));
        assertEquals(List.of("open", "ping:", "text:fragmented"), f.listener.events);
    }

    @Test
    void section5_5_2_pingIsAnsweredWithAPongCarryingTheSamePayload() {
        ServerFixture f = ServerFixture.open();
        f.receive(Frames.start().client(Opcode.PING, true, Frames.utf8("are you there")));
        assertEquals(List.of("PONG " + RecordingFrameListener.hex(ByteBuffer.wrap(Frames.utf8("are you there")))),
                f.sentFrames());
    }

    @Test
    void strictOrderingAMessageBeforeAViolationIsEchoedBeforeTheClose() {
        // Autobahn rates the opposite order NON-STRICT: answer what came first, then fail.
        ServerFixture f = ServerFixture.open().echoing();
        f.receive(Frames.start().clientText("first").client(Opcode.TEXT.code(), true, 0b010, Frames.utf8("bad")));
        assertEquals(List.of(textFrame("first"), closeFrame(1002) + hexReason("RSV bits set without a negotiated extension")),
                f.sentFrames());
        assertEquals(ConnectionState.FAILING, f.connection.state());
    }

    @Test
    void section5_4_outgoingMessagesAreFragmentedWhenConfigured() {
        ServerFixture f = ServerFixture.open(ConnectionConfig.builder().fragmentSize(10).build());
        f.connection.sendBinary(ByteBuffer.wrap(new byte[25]));
        List<String> frames = f.sentFrames();
        assertEquals(3, frames.size());
        assertTrue(frames.get(0).startsWith("BINARY fin=false rsv=0 len=10"));
        assertTrue(frames.get(1).startsWith("CONTINUATION fin=false rsv=0 len=10"));
        assertTrue(frames.get(2).startsWith("CONTINUATION fin=true rsv=0 len=5"));
    }

    @Test
    void section5_2_aLengthNotInItsMinimalFormIsRefusedSayingSo() {
        // §5.2: "the minimal number of bytes MUST be used to encode the length": 5 in 16 bits, then 200 in 64.
        for (int[] header : new int[][] {{0x82, 0x80 | 126, 0, 5}, {0x82, 0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 200}}) {
            ServerFixture f = ServerFixture.open();
            f.receive(Frames.start().raw(header));
            assertEquals(List.of(closeFrame(1002) + hexReason("payload length not in its minimal form")),
                    f.sentFrames());
        }
    }

    @Test
    void largeMessagesSpanSeveralPooledBuffers() {
        ServerFixture f = ServerFixture.open().echoing();
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        f.receive(Frames.start().client(Opcode.BINARY, true, big));
        List<String> frames = f.sentFrames();
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).endsWith(RecordingFrameListener.hex(ByteBuffer.wrap(big))));
    }

    // --- §8.1: UTF-8 -----------------------------------------------------------------------------------------

    @Test
    void section8_1_invalidUtf8FailsFastInsideAFrameWhoseRestHasNotArrived() {
        ServerFixture f = ServerFixture.open();
        byte[] payload = Frames.hex("ce ba e1 bd b9 cf 83 ce bc ce b5 f4 90 80 80 65 64 69 74 65 64");
        byte[] frame = Frames.start().client(Opcode.TEXT, true, payload).bytes();
        // Only the header and the bytes up to the first invalid one (the 0x90 after 0xF4) arrive.
        byte[] firstPart = java.util.Arrays.copyOf(frame, 6 + 13);
        f.receive(firstPart);
        assertEquals(ConnectionState.FAILING, f.connection.state());
        assertEquals(List.of(closeFrame(1007) + hexReason("text message is not valid UTF-8")), f.sentFrames());
    }

    @Test
    void section8_1_invalidUtf8AcrossFragmentsIsDetected() {
        ServerFixture f = ServerFixture.open();
        f.receive(Frames.start().client(Opcode.TEXT, false, Frames.hex("ed")).client(Opcode.CONTINUATION, true,
                Frames.hex("a0 80")));
        assertEquals(CloseCode.INVALID_PAYLOAD, f.connection.closeCode());
    }

    @Test
    void section8_1_messageEndingInsideACodePointIsInvalid() {
        ServerFixture f = ServerFixture.open();
        f.receive(Frames.start().client(Opcode.TEXT, true, Frames.hex("e2 82")));
        assertEquals(CloseCode.INVALID_PAYLOAD, f.connection.closeCode());
        assertEquals(ConnectionState.FAILING, f.connection.state());
    }

    @Test
    void validUtf8SplitInsideACodePointAcrossFragmentsIsFine() {
        ServerFixture f = ServerFixture.open();
        f.receive(Frames.start().client(Opcode.TEXT, false, Frames.hex("e2 82")).client(Opcode.CONTINUATION, true,
                Frames.hex("ac")));
        assertEquals(List.of("open", "text:€"), f.listener.events);
    }

    // --- limits ---------------------------------------------------------------------------------------------

    @Test
    void section7_4_1_messageOverTheLimitIsClosedWith1009() {
        ServerFixture f = ServerFixture.open(ConnectionConfig.builder().maxMessageSize(100).build());
        f.receive(Frames.start().client(Opcode.BINARY, true, new byte[101]));
        List<String> sent = f.sentFrames();
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).startsWith(closeFrame(1009)), sent.toString());
    }

    // --- §5.5.1, §7: closing ---------------------------------------------------------------------------------

    @Test
    void section5_5_1_peerCloseIsEchoedAndReportedOnceTcpCloses() {
        ServerFixture f = ServerFixture.open();
        f.receive(Frames.start().clientClose(1000, "bye").clientText("ignored after close"));
        assertEquals(ConnectionState.CLOSING_BY_PEER, f.connection.state());
        assertEquals(List.of(closeFrame(1000)), f.sentFrames());
        assertTrue(f.connection.shouldCloseTransport(), "§7.1.1: the server closes TCP first");
        f.connection.transportClosed(f.now);
        assertEquals(ConnectionState.CLOSED, f.connection.state());
        assertEquals(List.of("open", "close:1000:bye"), f.listener.events);
    }

    @Test
    void section5_5_1_emptyCloseIsAnsweredWith1000AndReportedAs1005() {
        ServerFixture f = ServerFixture.open();
        f.receive(Frames.start().client(Opcode.CLOSE, true, new byte[0]));
        assertEquals(List.of(closeFrame(1000)), f.sentFrames());
        f.connection.transportClosed(f.now);
        assertEquals(List.of("open", "close:1005:"), f.listener.events);
    }

    @Test
    void section5_5_1_closeWithOneBytePayloadIsAProtocolError() {
        ServerFixture f = ServerFixture.open();
        f.receive(Frames.start().client(Opcode.CLOSE, true, new byte[] {3}));
        assertTrue(f.sentFrames().get(0).startsWith(closeFrame(1002)));
    }

    @Test
    void section7_4_closeCodesThatMayNotBeSentAreAProtocolError() {
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            ServerFixture f = ServerFixture.open();
            f.receive(Frames.start().clientClose(code, ""));
            assertTrue(f.sentFrames().get(0).startsWith(closeFrame(1002)), "code " + code);
        }
    }

    @Test
    void section7_4_validCloseCodesAreEchoed() {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999,
                4000, 4999}) {
            ServerFixture f = ServerFixture.open();
            f.receive(Frames.start().clientClose(code, ""));
            assertEquals(List.of(closeFrame(code)), f.sentFrames(), "code " + code);
        }
    }

    @Test
    void section5_5_1_closeReasonThatIsNotUtf8Is1007() {
        ServerFixture f = ServerFixture.open();
        byte[] payload = Frames.hex("03 e8 ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80");
        f.receive(Frames.start().client(Opcode.CLOSE, true, payload));
        assertTrue(f.sentFrames().get(0).startsWith(closeFrame(1007)));
    }

    @Test
    void section7_1_2_weCloseFirstThenThePeerAnswers() {
        ServerFixture f = ServerFixture.open();
        f.connection.close(CloseCode.GOING_AWAY, "restart", f.now);
        assertEquals(ConnectionState.CLOSING_BY_US, f.connection.state());
        assertEquals(List.of(closeFrame(1001) + hexReason("restart")), f.sentFrames());
        assertFalse(f.connection.sendText("too late"), "§5.5.1: no data after our Close");
        f.receive(Frames.start().clientText("still delivered"));
        f.receive(Frames.start().clientClose(1001, ""));
        assertEquals(ConnectionState.CLOSE_ACKNOWLEDGED, f.connection.state());
        assertEquals(List.of(), f.sentFrames(), "the peer's answer is not answered again");
        assertTrue(f.connection.shouldCloseTransport());
        f.connection.transportClosed(f.now);
        assertEquals(List.of("open", "text:still delivered", "close:1001:"), f.listener.events);
    }

    @Test
    void section7_1_1_noAnswerToOurCloseGivesUpAfterTheCloseTimeout() {
        ServerFixture f = ServerFixture.open(ConnectionConfig.builder().closeTimeout(Duration.ofSeconds(1)).build());
        f.connection.close(CloseCode.NORMAL_CLOSURE, "", f.now);
        f.connection.onTimer(f.now + 1_000_000_000L);
        assertEquals(ConnectionState.FAILING, f.connection.state());
        f.connection.onTimer(f.now + 2_000_000_000L);
        assertEquals(ConnectionState.CLOSED, f.connection.state());
        assertEquals(List.of("open", "close:1006:no Close frame came back"), f.listener.events);
    }

    @Test
    void section7_1_5_tcpDroppingWithoutACloseIs1006() {
        ServerFixture f = ServerFixture.open();
        f.connection.transportClosed(f.now);
        assertEquals(List.of("open", "close:1006:"), f.listener.events);
        f.connection.transportClosed(f.now);
        assertEquals(2, f.listener.events.size(), "close is reported exactly once");
    }

    @Test
    void closeRejectsCodesThatMayNotBeSent() {
        ServerFixture f = ServerFixture.open();
        assertThrows(IllegalArgumentException.class, () -> f.connection.close(CloseCode.NO_STATUS_RECEIVED, "", 0));
        assertThrows(IllegalArgumentException.class, () -> f.connection.close(CloseCode.NORMAL_CLOSURE, "x".repeat(124), 0));
    }

    // --- §5.5.2: keepalive -----------------------------------------------------------------------------------

    @Test
    void keepalivePingsAnIdlePeerAndFailsWith1011WithoutAnAnswer() {
        ServerFixture f = ServerFixture.open(ConnectionConfig.builder()
                .idleTimeout(Duration.ofSeconds(10)).pongTimeout(Duration.ofSeconds(5)).build());
        long idleDeadline = f.connection.nextDeadlineNanos();
        assertEquals(f.now + 10_000_000_000L, idleDeadline);
        f.connection.onTimer(idleDeadline);
        assertEquals(List.of("PING "), f.sentFrames());
        f.connection.onTimer(idleDeadline + 5_000_000_000L);
        assertEquals(ConnectionState.FAILING, f.connection.state());
        assertEquals(List.of(closeFrame(1011) + hexReason("keepalive timeout: no answer to Ping")), f.sentFrames());
    }

    @Test
    void anyByteFromThePeerAnswersTheKeepalive() {
        ServerFixture f = ServerFixture.open(ConnectionConfig.builder()
                .idleTimeout(Duration.ofSeconds(10)).pongTimeout(Duration.ofSeconds(5)).build());
        long idleDeadline = f.connection.nextDeadlineNanos();
        f.connection.onTimer(idleDeadline);
        f.now = idleDeadline + 1;
        f.receive(Frames.start().client(Opcode.PONG, true, new byte[0]));
        f.connection.onTimer(idleDeadline + 5_000_000_000L);
        assertEquals(ConnectionState.OPEN, f.connection.state());
    }

    // --- the trace switch ------------------------------------------------------------------------------------

    @Test
    void traceRecordsTransitionsAndFrames() {
        ServerFixture f = ServerFixture.open();
        f.receive(Frames.start().clientClose(1000, ""));
        assertTrue(f.trace.contains("state HANDSHAKING --HANDSHAKE_ACCEPTED--> OPEN  (SEND_101, USE_AGREEMENT, "
                + "START_KEEPALIVE, DELIVER_OPEN; §4.2.2)"), f.trace.toString());
        assertTrue(f.trace.contains("state OPEN --CLOSE_RECEIVED--> CLOSING_BY_PEER  (REPORT_PEER_CLOSE, "
                + "SEND_CLOSE_ECHO, START_CLOSING_TIMER; §5.5.1)"), f.trace.toString());
        assertTrue(f.trace.contains("<< CLOSE fin=1 rsv=000 len=2"), f.trace.toString());
        assertTrue(f.trace.contains(">> CLOSE fin=1 rsv=000 len=2"), f.trace.toString());
    }

    private static String hexReason(String reason) {
        return RecordingFrameListener.hex(ByteBuffer.wrap(reason.getBytes(StandardCharsets.UTF_8)));
    }
}
