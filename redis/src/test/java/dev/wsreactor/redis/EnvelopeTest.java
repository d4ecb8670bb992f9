package dev.wsreactor.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    @Test
    void aMessageComesBackWithItsTimeAndNode() {
        byte[] bytes = Envelope.encode(Envelope.nodeIdBytes("nœud-a"), 1_234_567_890_123L,
                ByteBuffer.wrap("seat 7".getBytes(StandardCharsets.UTF_8)));
        Envelope envelope = Envelope.decode(bytes);
        assertEquals(1_234_567_890_123L, envelope.sentAtEpochNanos());
        assertEquals("nœud-a", envelope.nodeId());
        assertEquals("seat 7", StandardCharsets.UTF_8.decode(envelope.message()).toString());
        assertTrue(envelope.message().isReadOnly());
    }

    @Test
    void anEmptyMessageIsOne() {
        Envelope envelope = Envelope.decode(Envelope.encode(new byte[0], 5, ByteBuffer.allocate(0)));
        assertEquals("", envelope.nodeId());
        assertEquals(0, envelope.message().remaining());
    }

    @Test
    void whatIsNotAnEnvelopeIsRefused() {
        assertNull(Envelope.decode("hello from another user of the channel".getBytes(StandardCharsets.UTF_8)));
        assertNull(Envelope.decode(new byte[] {Envelope.VERSION, 0, 0}), "too short");
        byte[] cut = Envelope.encode(Envelope.nodeIdBytes("node"), 1, ByteBuffer.allocate(0));
        assertNull(Envelope.decode(java.util.Arrays.copyOf(cut, cut.length - 2)), "the node id cut short");
    }

    @Test
    void aNodeIdIsAtMost255Bytes() {
        assertThrows(IllegalArgumentException.class, () -> Envelope.nodeIdBytes("x".repeat(256)));
        assertEquals(255, Envelope.nodeIdBytes("x".repeat(255)).length);
    }
}
