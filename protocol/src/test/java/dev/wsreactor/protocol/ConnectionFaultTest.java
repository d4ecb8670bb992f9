package dev.wsreactor.protocol;

import static dev.wsreactor.protocol.ServerFixture.closeFrame;
import static dev.wsreactor.protocol.ServerFixture.textFrame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.handshake.HandshakePolicy;
import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import dev.wsreactor.protocol.internal.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fault inside the process (a bug, an Error, a listener that throws) never leaves the connection as an
 * exception: it moves through the table's INTERNAL_ERROR rows, and an open connection sends Close 1011 (§7.4.1).
 */
class ConnectionFaultTest {

    private static final String INTERNAL_ERROR_CLOSE = closeFrame(1011) + hex("internal error");

    @Test
    void aListenerThatThrowsARuntimeExceptionFailsTheConnectionWith1011() {
        ServerFixture f = ServerFixture.open();
        IllegalStateException bug = new IllegalStateException("a bug in the handler");
        failOn(f, "text", bug);
        f.receive(Frames.start().clientText("hello"));
        assertEquals(ConnectionState.FAILING, f.connection.state());
        assertEquals(List.of(INTERNAL_ERROR_CLOSE), f.sentFrames());
        assertSame(bug, f.connection.internalError());
        assertTrue(f.connection.shouldCloseTransport(), "TCP closes once the Close is written");
        f.connection.transportClosed(f.now);
        assertEquals(List.of("open", "text:hello", "close:1011:internal error"), f.listener.events);
    }

    @Test
    void anErrorFromTheListenerIsContainedTheSameWay() {
        ServerFixture f = ServerFixture.open();
        failOn(f, "binary", new StackOverflowError());
        f.receive(Frames.start().client(Opcode.BINARY, true, new byte[] {1, 2}));
        assertEquals(ConnectionState.FAILING, f.connection.state());
        assertEquals(List.of(INTERNAL_ERROR_CLOSE), f.sentFrames());
        assertEquals(CloseCode.INTERNAL_ERROR, f.connection.closeCode());
    }

    @Test
    void whatCameBeforeTheFaultIsAnsweredAndNothingAfterItIsRead() {
        ServerFixture f = ServerFixture.open().echoing();
        failOn(f, "binary", new AssertionError("broken invariant"));
        f.receive(Frames.start().clientText("first").client(Opcode.BINARY, true, new byte[] {7})
                .clientText("never read"));
        assertEquals(List.of(textFrame("first"), INTERNAL_ERROR_CLOSE), f.sentFrames());
        assertEquals(List.of("open", "text:first", "binary:07"), f.listener.events);
    }

    @Test
    void aFaultInOnOpenClosesWith1011AfterThe101() {
        ServerFixture f = new ServerFixture();
        failOn(f, "open", new IllegalStateException("onOpen failed"));
        f.receive(ServerFixture.RFC_REQUEST.getBytes(StandardCharsets.US_ASCII));
        String out = f.drainText();
        assertTrue(out.startsWith("HTTP/1.1 101 "), out);
        assertTrue(out.endsWith("\r\n\r\n\u0088\u0010\u0003\u00f3internal error"), out);
        assertEquals(ConnectionState.FAILING, f.connection.state());
    }

    @Test
    void aFaultInOnCloseDoesNotEscapeTransportClosed() {
        ServerFixture f = ServerFixture.open();
        failOn(f, "close", new IllegalStateException("onClose failed"));
        f.connection.transportClosed(f.now);
        assertEquals(ConnectionState.CLOSED, f.connection.state());
        assertTrue(f.connection.shouldCloseTransport());
        assertTrue(f.connection.output().isEmpty());
    }

    @Test
    void aFaultWhileAnsweringAPlainHttpRequestGets500() {
        ServerFixture f = new ServerFixture();
        failOn(f, "http", new IllegalStateException("the page handler failed"));
        f.receive("GET /page HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(f.drainText().startsWith("HTTP/1.1 500 Internal Server Error\r\n"));
        assertEquals(ConnectionState.REJECTING, f.connection.state());
        assertTrue(f.connection.shouldCloseTransport());
    }

    @Test
    void aHandshakePolicyThatThrowsGets500AndNeverOpens() {
        HandshakePolicy broken = request -> {
            throw new IllegalStateException("policy failed");
        };
        ServerFixture f = new ServerFixture(ConnectionConfig.builder()
                .handshake(ServerHandshakeConfig.builder().policy(broken).build()).build());
        f.receive(ServerFixture.RFC_REQUEST.getBytes(StandardCharsets.US_ASCII));
        assertTrue(f.drainText().startsWith("HTTP/1.1 500 "));
        f.connection.transportClosed(f.now);
        assertEquals(List.of(), f.listener.events, "a connection that never opened reports no close");
    }

    @Test
    void theIoLayerReportsAFaultItCaughtThroughTheSameRows() {
        ServerFixture open = ServerFixture.open();
        open.connection.failInternally(new IllegalStateException("in the I/O layer"), open.now);
        assertEquals(List.of(INTERNAL_ERROR_CLOSE), open.sentFrames());

        ServerFixture closing = ServerFixture.open();
        closing.connection.close(CloseCode.NORMAL_CLOSURE, "", closing.now);
        assertEquals(List.of(closeFrame(1000)), closing.sentFrames());
        closing.connection.failInternally(new IllegalStateException("in the I/O layer"), closing.now);
        assertEquals(ConnectionState.FAILING, closing.connection.state());
        assertEquals(List.of(), closing.sentFrames(), "our Close is already out: nothing more is sent");
        closing.connection.transportClosed(closing.now);
        assertEquals(List.of("open", "close:1011:internal error"), closing.listener.events);
    }

    @Test
    void aFaultWhileFailingDropsWhatIsQueuedSoTcpClosesAtOnce() {
        ServerFixture f = ServerFixture.open();
        f.connection.failInternally(new IllegalStateException("first"), f.now);
        assertFalse(f.connection.output().isEmpty(), "the 1011 Close is queued");
        f.connection.failInternally(new IllegalStateException("second"), f.now);
        assertEquals(ConnectionState.FAILING, f.connection.state());
        assertTrue(f.connection.output().isEmpty(), "CLOSE_TCP: the queue may hold half a frame");
        assertTrue(f.connection.shouldCloseTransport());
        assertEquals("first", f.connection.internalError().getMessage());
    }

    @Test
    void aCharSequenceThatThrowsHalfwayLeavesNoHalfFrameBehind() {
        ServerFixture f = ServerFixture.open();
        CharSequence broken = new CharSequence() {
            @Override
            public int length() {
                return 10;
            }

            @Override
            public char charAt(int index) {
                if (index == 5) {
                    throw new IndexOutOfBoundsException("changed under our feet");
                }
                return 'x';
            }

            @Override
            public CharSequence subSequence(int start, int end) {
                throw new UnsupportedOperationException();
            }
        };
        assertFalse(f.connection.sendText(broken));
        assertEquals(ConnectionState.FAILING, f.connection.state());
        assertEquals(List.of(INTERNAL_ERROR_CLOSE), f.sentFrames(), "a clean Close, no half text frame");
    }

    @Test
    void aListenerFaultAfterOurCloseSendsNoSecondClose() {
        ServerFixture f = ServerFixture.open();
        f.connection.close(CloseCode.GOING_AWAY, "bye", f.now);
        f.sentFrames();
        failOn(f, "text", new IllegalStateException("late bug"));
        f.receive(Frames.start().clientText("data still in flight").clientClose(1000, ""));
        assertEquals(ConnectionState.FAILING, f.connection.state());
        assertEquals(List.of(), f.sentFrames());
        assertEquals(CloseCode.INTERNAL_ERROR, f.connection.closeCode());
    }

    @Test
    void aTracerThatThrowsLosesItsLinesNotTheConnection() {
        ServerFixture f = new ServerFixture(ConnectionConfig.defaults());
        Connection traced = Connection.server(ConnectionConfig.builder().tracer(line -> {
            throw new IllegalStateException("tracer failed");
        }).build(), BufferPool.unpooledHeap(4096), f.listener, f.now);
        f.listener.connection = traced;
        traced.receive(ByteBuffer.wrap(ServerFixture.RFC_REQUEST.getBytes(StandardCharsets.US_ASCII)), f.now);
        assertEquals(ConnectionState.OPEN, traced.state());
        assertEquals(null, traced.internalError());
    }

    private static void failOn(ServerFixture f, String callback, Throwable fault) {
        f.listener.failOn = callback;
        f.listener.fault = fault;
    }

    private static String hex(String text) {
        return RecordingFrameListener.hex(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }
}
