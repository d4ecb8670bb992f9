package dev.wsreactor.protocol;

import static dev.wsreactor.protocol.ServerFixture.closeFrame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import dev.wsreactor.protocol.internal.Opcode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each setting is independent; the one rule between two of them is applied in build(), in any order of calls. */
class ConnectionConfigTest {

    @Test
    void byDefaultAFrameIsBoundedByTheMessageLimitAlone() {
        assertEquals(ConnectionConfig.DEFAULT_MAX_MESSAGE_SIZE, ConnectionConfig.defaults().maxMessageSize());
        assertEquals(ConnectionConfig.DEFAULT_MAX_MESSAGE_SIZE, ConnectionConfig.defaults().maxFramePayload());
        assertEquals(100, ConnectionConfig.builder().maxMessageSize(100).build().maxFramePayload());
        assertEquals(64L << 20, ConnectionConfig.builder().maxMessageSize(64L << 20).build().maxFramePayload());
    }

    @Test
    void aFrameLimitSetStaysWhateverTheMessageLimitDoesLater() {
        // The message limit once overwrote the frame limit: set after it, it undid a smaller frame limit.
        assertEquals(50, ConnectionConfig.builder().maxFramePayload(50).maxMessageSize(1 << 20).build()
                .maxFramePayload());
        assertEquals(50, ConnectionConfig.builder().maxMessageSize(1 << 20).maxFramePayload(50).build()
                .maxFramePayload());
        ConnectionConfig small = ConnectionConfig.builder().maxFramePayload(50).maxMessageSize(10).build();
        assertEquals(10, small.maxFramePayload(), "clamped to the message limit while that is smaller");
        assertEquals(50, small.toBuilder().maxMessageSize(1000).build().maxFramePayload(), "the 50 set is kept");
    }

    @Test
    void aFragmentedMessageMayBeLargerThanTheFrameLimit() {
        ServerFixture f = ServerFixture.open(ConnectionConfig.builder().maxFramePayload(10).maxMessageSize(100)
                .build());
        f.receive(Frames.start().client(Opcode.BINARY, false, new byte[10]).client(Opcode.CONTINUATION, false,
                new byte[10]).client(Opcode.CONTINUATION, true, new byte[10]));
        assertEquals(1, f.listener.events.stream().filter(e -> e.startsWith("binary:")).count(),
                f.listener.events.toString());
        assertEquals(List.of(), f.sentFrames(), "nothing refused");
        f.receive(Frames.start().client(Opcode.BINARY, true, new byte[11]));
        List<String> sent = f.sentFrames();
        assertEquals(1, sent.size(), sent.toString());
        assertTrue(sent.get(0).startsWith(closeFrame(1009)), sent.toString());
    }

    @Test
    void compressionIsOnByDefaultAsBrowsersExpect() {
        assertTrue(ConnectionConfig.defaults().deflate().enabled());
        ServerFixture f = ServerFixture.openOffering(ConnectionConfig.defaults(), "permessage-deflate");
        assertTrue(f.response.contains("\r\nSec-WebSocket-Extensions: permessage-deflate; "
                + "server_no_context_takeover\r\n"), f.response);
        ServerFixture off = ServerFixture.openOffering(ConnectionConfig.builder().deflate(DeflateConfig.disabled())
                .build(), "permessage-deflate");
        assertFalse(off.response.contains("Sec-WebSocket-Extensions"), off.response);
    }

    @Test
    void theHandshakeSettingsKeepTheirOwnValuesAndGetTheDeflateNegotiator() {
        ServerHandshakeConfig handshake = ServerHandshakeConfig.builder().subprotocols(List.of("chat"))
                .maxHeadBytes(1000).build();
        ConnectionConfig config = ConnectionConfig.builder().handshake(handshake).build();
        assertEquals(List.of("chat"), config.handshake().subprotocols());
        assertEquals(1000, config.handshake().maxHeadBytes());
        ConnectionConfig again = config.toBuilder().fragmentSize(10).build(); // rebuilding is no conflict
        assertEquals(List.of("chat"), again.handshake().subprotocols());
    }

    @Test
    void aHandshakeWithANegotiatorOfItsOwnIsRefusedNotOverwritten() {
        ServerHandshakeConfig own = ServerHandshakeConfig.builder().extensions(offers -> offers).build();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ConnectionConfig.builder().handshake(own).build());
        assertTrue(refused.getMessage().contains("negotiator"), refused.getMessage());
    }

    @Test
    void impossibleValuesAreRefusedWhenBuilding() {
        assertThrows(IllegalArgumentException.class, () -> ConnectionConfig.builder().maxMessageSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectionConfig.builder().maxFramePayload(-1).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectionConfig.builder().fragmentSize(-1).build());
        assertThrows(IllegalArgumentException.class, () -> ServerHandshakeConfig.builder().maxHeadBytes(0).build());
    }
}
