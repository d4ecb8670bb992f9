package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A client's handler that records every message and the close, for tests to wait on. */
final class ClientRecorder implements WebSocketHandler {

    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    final BlockingQueue<RecordingHandler.Closed> closed = new LinkedBlockingQueue<>();

    @Override
    public void onText(Session session, String text) {
        texts.add(text);
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binaries.add(bytes);
    }

    @Override
    public void onClose(Session session, CloseCode code, String reason) {
        closed.add(new RecordingHandler.Closed(session, code, reason));
    }
}
