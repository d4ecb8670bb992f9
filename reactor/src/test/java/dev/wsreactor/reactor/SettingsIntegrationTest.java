package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.internal.Opcode;
import org.junit.jupiter.api.Test;

/** The builder's settings as a client sees them on the wire: each one alone, none changing another. */
class SettingsIntegrationTest {

    private static final String OFFERING_DEFLATE = RawClient.UPGRADE_REQUEST.replace("\r\n\r\n",
            "\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n");

    private static WebSocketServer.Builder echo() {
        return WebSocketServer.builder().bind("127.0.0.1", 0).handler(new RecordingHandler()).daemon(true);
    }

    @Test
    void aFrameLimitSetFirstSurvivesALaterMessageLimit() throws Exception {
        try (WebSocketServer server = echo().maxFramePayload(100).maxMessageSize(4096).build().start();
                RawClient client = RawClient.open(server.port())) {
            // Three frames of 100 bytes: a message of 300, under the message limit, every frame at the frame limit.
            client.writeFrame(Opcode.BINARY, false, new byte[100]);
            client.writeFrame(Opcode.CONTINUATION, false, new byte[100]);
            client.writeFrame(Opcode.CONTINUATION, true, new byte[100]);
            RawClient.Frame echoed = client.readFrame();
            assertEquals(Opcode.BINARY.code(), echoed.opcode());
            assertEquals(300, echoed.payload().length);
            client.writeFrame(Opcode.BINARY, true, new byte[101]);
            RawClient.Frame close = client.readFrame();
            assertEquals(Opcode.CLOSE.code(), close.opcode());
            assertEquals(CloseCode.MESSAGE_TOO_BIG.value(), close.closeCode());
        }
    }

    @Test
    void compressionIsOnUnlessTurnedOff() throws Exception {
        try (WebSocketServer server = echo().build().start(); RawClient client = new RawClient(server.port())) {
            client.write(OFFERING_DEFLATE);
            String head = client.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertTrue(head.contains("\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover"),
                    head);
        }
        try (WebSocketServer server = echo().compression(DeflateConfig.disabled()).build().start();
                RawClient client = new RawClient(server.port())) {
            client.write(OFFERING_DEFLATE);
            String head = client.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertFalse(head.contains("Sec-WebSocket-Extensions"), head);
        }
    }

    @Test
    void settingsThatCannotWorkTogetherAreRefusedByBuild() {
        assertThrows(IllegalStateException.class, () -> WebSocketServer.builder().build(), "no handler");
        assertThrows(IllegalArgumentException.class, () -> echo().writeQueueLimits(2, 1, 3).build());
        assertThrows(IllegalArgumentException.class, () -> echo().maxConnections(0).build());
        assertThrows(IllegalArgumentException.class, () -> echo().maxMessageSize(0).build());
    }
}
