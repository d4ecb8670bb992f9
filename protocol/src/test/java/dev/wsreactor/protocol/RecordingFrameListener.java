package dev.wsreactor.protocol;

import dev.wsreactor.protocol.internal.FrameListener;
import dev.wsreactor.protocol.internal.ProtocolViolation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Records what a FrameDecoder reports, joining each data frame's chunks, as readable lines. */
final class RecordingFrameListener implements FrameListener {

    final List<String> events = new ArrayList<>();
    private StringBuilder payload = new StringBuilder();
    private String header;

    @Override
    public ProtocolViolation onDataFrameStart(Opcode opcode, boolean fin, int rsv, long payloadLength) {
        header = opcode + " fin=" + fin + " rsv=" + rsv + " len=" + payloadLength;
        payload = new StringBuilder();
        return null;
    }

    @Override
    public ProtocolViolation onDataPayload(ByteBuffer chunk, boolean endOfFrame) {
        payload.append(hex(chunk));
        chunk.position(chunk.limit()); // listeners may move the position; the decoder must not care
        if (endOfFrame) {
            events.add(header + " " + payload);
        }
        return null;
    }

    @Override
    public ProtocolViolation onControlFrame(Opcode opcode, ByteBuffer payload) {
        events.add(opcode + " " + hex(payload));
        return null;
    }

    static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
