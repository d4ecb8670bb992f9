package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.internal.FrameListener;
import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.internal.ProtocolViolation;
import java.nio.ByteBuffer;
import org.openjdk.jmh.infra.Blackhole;

/** A frame listener that hands each payload view to the Blackhole: it consumes the bytes without copying them. */
final class ConsumingListener implements FrameListener {

    Blackhole blackhole;

    @Override
    public ProtocolViolation onDataFrameStart(Opcode opcode, boolean fin, int rsv, long payloadLength) {
        blackhole.consume(payloadLength);
        return null;
    }

    @Override
    public ProtocolViolation onDataPayload(ByteBuffer chunk, boolean endOfFrame) {
        blackhole.consume(chunk);
        return null;
    }

    @Override
    public ProtocolViolation onControlFrame(Opcode opcode, ByteBuffer payload) {
        blackhole.consume(payload);
        return null;
    }
}
