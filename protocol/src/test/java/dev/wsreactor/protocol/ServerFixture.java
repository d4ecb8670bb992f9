package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wsreactor.protocol.internal.FrameDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A server-side Connection under test, fed literal bytes, with its output decoded as a client would see it. */
final class ServerFixture {

    static final String RFC_REQUEST = """
            GET /chat HTTP/1.1\r
            Host: server.example.com\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
            Origin: http://example.com\r
            Sec-WebSocket-Protocol: chat, superchat\r
            Sec-WebSocket-Version: 13\r
            \r
            """;

    final RecordingListener listener = new RecordingListener();
    final Connection connection;
    final List<String> trace = new ArrayList<>();
    long now = 1_000_000_000L;
    private final FrameDecoder clientSide = new FrameDecoder(Role.CLIENT, Long.MAX_VALUE, Long.MAX_VALUE, 0);

    ServerFixture() {
        this(ConnectionConfig.defaults());
    }

    ServerFixture(ConnectionConfig config) {
        this(config, null);
    }

    ServerFixture(ConnectionConfig config, MessageDeflater sharedDeflater) {
        connection = Connection.server(config.toBuilder().tracer(trace::add).build(), BufferPool.unpooledHeap(4096), listener,
                sharedDeflater, now);
        listener.connection = connection;
    }

    /** A fixture whose connection is already OPEN, the 101 response drained. */
    static ServerFixture open(ConnectionConfig config) {
        ServerFixture fixture = new ServerFixture(config);
        fixture.receive(RFC_REQUEST.getBytes(StandardCharsets.US_ASCII));
        String response = fixture.drainText();
        assertEquals(true, response.startsWith("HTTP/1.1 101 "), response);
        assertEquals(ConnectionState.OPEN, fixture.connection.state());
        return fixture;
    }

    /** A fixture opened by a request that also carries this {@code Sec-WebSocket-Extensions} value. */
    static ServerFixture openOffering(ConnectionConfig config, String extensions) {
        return openOffering(config, extensions, null);
    }

    static ServerFixture openOffering(ConnectionConfig config, String extensions, MessageDeflater sharedDeflater) {
        ServerFixture fixture = new ServerFixture(config, sharedDeflater);
        fixture.receive(requestOffering(extensions));
        fixture.response = fixture.drainText();
        assertEquals(true, fixture.response.startsWith("HTTP/1.1 101 "), fixture.response);
        return fixture;
    }

    /** {@link #RFC_REQUEST} with this {@code Sec-WebSocket-Extensions} value, as bytes. */
    static byte[] requestOffering(String extensions) {
        return RFC_REQUEST.replace("Sec-WebSocket-Version: 13\r\n",
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: " + extensions + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The opening handshake response, for fixtures that keep it. */
    String response;

    static ServerFixture open() {
        return open(ConnectionConfig.defaults());
    }

    ServerFixture echoing() {
        listener.echo = true;
        return this;
    }

    void receive(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        connection.receive(in, now);
        assertEquals(0, in.remaining(), "the connection consumes every byte it is given");
    }

    void receive(Frames frames) {
        receive(frames.bytes());
    }

    String drainText() {
        return new String(connection.output().drain(), StandardCharsets.ISO_8859_1);
    }

    /** Decodes everything the server has written since the last drain, as RecordingFrameListener lines. */
    List<String> sentFrames() {
        RecordingFrameListener recorder = new RecordingFrameListener();
        assertNull(clientSide.decode(ByteBuffer.wrap(connection.output().drain()), recorder));
        return recorder.events;
    }

    static String closeFrame(int code) {
        return "CLOSE " + String.format("%04x", code);
    }

    static String textFrame(String text) {
        return "TEXT fin=true rsv=0 len=" + text.getBytes(StandardCharsets.UTF_8).length + " "
                + RecordingFrameListener.hex(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }
}
