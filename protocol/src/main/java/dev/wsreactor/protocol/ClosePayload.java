package dev.wsreactor.protocol;

import dev.wsreactor.protocol.internal.FrameDecoder;
import dev.wsreactor.protocol.internal.ProtocolViolation;
import dev.wsreactor.protocol.internal.Utf8Encoder;
import dev.wsreactor.protocol.internal.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The payload of a Close frame (§5.5.1): an optional 2-byte status code, then an optional UTF-8 reason. */
final class ClosePayload {

    private ClosePayload() {
    }

    /** What is wrong with a received Close payload, or {@code null} if it is well-formed. */
    static ProtocolViolation check(ByteBuffer payload) {
        if (payload.remaining() == 0) {
            return null;
        }
        if (payload.remaining() == 1) {
            return ProtocolViolation.protocolError("Close frame with a 1-byte payload");
        }
        int value = payload.getShort(payload.position()) & 0xFFFF;
        if (!CloseCode.isAllowedOnWire(value)) {
            return ProtocolViolation.protocolError("close code " + value + " may not be sent"); // §7.4
        }
        Utf8Validator utf8 = new Utf8Validator(); // once per connection at most: a Close ends the reading
        if (utf8.validate(payload, payload.position() + 2, payload.limit()) >= 0 || !utf8.isComplete()) {
            return ProtocolViolation.invalidPayload("close reason is not valid UTF-8"); // §5.5.1
        }
        return null;
    }

    /** The code of a checked payload; 1005 when it has none. */
    static CloseCode code(ByteBuffer payload) {
        return payload.remaining() == 0 ? CloseCode.NO_STATUS_RECEIVED
                : CloseCode.of(payload.getShort(payload.position()) & 0xFFFF);
    }

    /** The reason of a checked payload; empty when it has none. */
    static String reason(ByteBuffer payload) {
        int from = payload.position() + 2;
        return from >= payload.limit() ? "" : Utf8Encoder.decode(payload, from, payload.limit());
    }

    /** What the application may send (§7.4.1: not 1005, 1006 or 1015; §5.5: at most 123 bytes of reason). */
    static ByteBuffer encode(CloseCode code, String reason) {
        byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + reasonBytes.length).putShort((short) code.value()).put(reasonBytes).flip();
    }
}
