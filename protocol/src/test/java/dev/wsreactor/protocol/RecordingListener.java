package dev.wsreactor.protocol;

import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A ConnectionListener that records events as lines and, if asked, echoes every message like an echo server. */
final class RecordingListener implements ConnectionListener {

    final List<String> events = new ArrayList<>();
    Connection connection;
    boolean echo;
    HttpResponse httpResponse;

    @Override
    public void onOpen() {
        events.add("open");
    }

    @Override
    public void onText(String text) {
        events.add("text:" + text);
        if (echo) {
            connection.sendText(text);
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        events.add("binary:" + RecordingFrameListener.hex(data));
        if (echo) {
            connection.sendBinary(data);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        events.add("ping:" + RecordingFrameListener.hex(payload));
    }

    @Override
    public void onPong(ByteBuffer payload) {
        events.add("pong:" + RecordingFrameListener.hex(payload));
    }

    @Override
    public void onClose(CloseCode code, String reason) {
        events.add("close:" + code.value() + ":" + reason);
    }

    @Override
    public HttpResponse onHttpRequest(HttpRequest request) {
        events.add("http:" + request.method() + " " + request.target());
        return httpResponse;
    }
}
