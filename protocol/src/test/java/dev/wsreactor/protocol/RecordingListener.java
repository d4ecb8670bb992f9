package dev.wsreactor.protocol;

import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A ConnectionListener that records events as lines and, if asked, echoes every message like an echo server, or
 * throws from one callback like a buggy application.
 */
final class RecordingListener implements ConnectionListener {

    final List<String> events = new ArrayList<>();
    /** The payloads of the Pings that arrived while the connection was OPEN (each is owed one Pong). */
    final List<String> pingsWhileOpen = new ArrayList<>();
    Connection connection;
    boolean echo;
    /** Binary messages are recorded as their length and CRC-32 instead of their hex: for big ones. */
    boolean digest;
    HttpResponse httpResponse;
    /** The callback ("open", "text", "binary", "ping", "pong", "close", "http") that throws {@link #fault}. */
    String failOn;
    Throwable fault;
    /** Whether the handshake decision is left for later ({@link Connection#decide}), and what it is when not. */
    boolean deferDecision;
    HandshakeDecision decision = HandshakeDecision.accept();
    /** The requests the connection asked about. */
    final List<HttpRequest> asked = new ArrayList<>();

    @Override
    public HandshakeDecision onHandshakeRequest(HttpRequest request) {
        asked.add(request);
        return deferDecision ? null : decision;
    }

    @Override
    public void onOpen() {
        record("open");
    }

    @Override
    public void onText(String text) {
        record("text:" + text);
        if (echo) {
            connection.sendText(text);
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        record("binary:" + (digest ? digest(data) : RecordingFrameListener.hex(data)));
        if (echo) {
            connection.sendBinary(data);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (connection.state() == ConnectionState.OPEN) {
            pingsWhileOpen.add(RecordingFrameListener.hex(payload));
        }
        record("ping:" + RecordingFrameListener.hex(payload));
    }

    @Override
    public void onPong(ByteBuffer payload) {
        record("pong:" + RecordingFrameListener.hex(payload));
    }

    @Override
    public void onClose(CloseCode code, String reason) {
        record("close:" + code.value() + ":" + reason);
    }

    @Override
    public HttpResponse onHttpRequest(HttpRequest request) {
        record("http:" + request.method() + " " + request.target());
        return httpResponse;
    }

    static String digest(ByteBuffer data) {
        CRC32 crc = new CRC32();
        crc.update(data.duplicate());
        return data.remaining() + ":" + Long.toHexString(crc.getValue());
    }

    private void record(String event) {
        events.add(event);
        if (fault != null && event.startsWith(failOn)) {
            if (fault instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) fault;
        }
    }
}
