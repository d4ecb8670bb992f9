package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import dev.wsreactor.protocol.internal.handshake.WebSocketAccept;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** Compressed messages on an open connection: RFC 7692 §6 (RSV1) and §7.2 (compression), in both directions. */
class DeflateConnectionTest {

    static final int RSV1 = DeflateConfig.RSV1;

    /** What a client sends: raw DEFLATE, SYNC_FLUSH, the 00 00 ff ff tail removed (§7.2.1). */
    static byte[] compress(Deflater deflater, byte[] message) {
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput());
        byte[] all = out.toByteArray();
        // §7.2.3.6: an empty message may be a single 0x00 (the JDK flushes nothing for empty input).
        return all.length < 4 ? new byte[] {0} : Arrays.copyOf(all, all.length - 4);
    }

    /** The payload of the one unmasked frame in {@code frame}, whatever its length encoding (§5.2). */
    static byte[] payloadOf(byte[] frame) {
        ByteBuffer wire = ByteBuffer.wrap(frame);
        wire.get();
        long length = wire.get() & 0x7F;
        if (length == 126) {
            length = wire.getShort() & 0xFFFF;
        } else if (length == 127) {
            length = wire.getLong();
        }
        assertEquals(length, wire.remaining(), "exactly one frame");
        return Arrays.copyOfRange(frame, wire.position(), frame.length);
    }

    /** What a client does with the server's compressed message (§7.2.2). */
    static byte[] inflate(Inflater inflater, byte[] compressed) throws DataFormatException {
        byte[] withTail = Arrays.copyOf(compressed, compressed.length + 4);
        withTail[compressed.length + 2] = (byte) 0xFF;
        withTail[compressed.length + 3] = (byte) 0xFF;
        inflater.setInput(withTail);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            int n = inflater.inflate(buffer);
            if (n == 0) {
                break;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    static ServerFixture open(DeflateConfig deflate, String offer, long maxMessageSize) {
        ConnectionConfig config = ConnectionConfig.builder().maxMessageSize(maxMessageSize).deflate(deflate).build();
        return ServerFixture.openOffering(config, offer);
    }

    static ServerFixture open() {
        return open(DeflateConfig.defaults(), "permessage-deflate", 1 << 20);
    }

    @Test
    void rfc7692_7_2_2_aCompressedTextMessageIsInflated() {
        ServerFixture server = open();
        byte[] compressed = compress(new Deflater(6, true), Frames.utf8("Hello, grüße!"));
        server.receive(Frames.start().client(Opcode.TEXT.code(), true, RSV1, compressed));
        assertEquals(List.of("open", "text:Hello, grüße!"), server.listener.events);
    }

    @Test
    void rfc7692_6_1_aCompressedMessageMayBeFragmentedWithRsv1OnTheFirstFrameOnly() {
        ServerFixture server = open();
        byte[] compressed = compress(new Deflater(6, true), Frames.utf8("fragmented and compressed"));
        int cut = compressed.length / 2;
        server.receive(Frames.start()
                .client(Opcode.TEXT.code(), false, RSV1, Arrays.copyOf(compressed, cut))
                .client(Opcode.PING.code(), true, 0, Frames.utf8("in between"))
                .client(Opcode.CONTINUATION.code(), true, 0, Arrays.copyOfRange(compressed, cut, compressed.length)));
        assertEquals(List.of("open", "ping:in between", "text:fragmented and compressed"),
                server.listener.events.stream().map(e -> e.startsWith("ping") ? "ping:in between" : e).toList());
    }

    @Test
    void rfc7692_6_1_rsv1OnAContinuationFrameIs1002() {
        ServerFixture server = open();
        byte[] compressed = compress(new Deflater(6, true), Frames.utf8("abc"));
        server.receive(Frames.start().client(Opcode.TEXT.code(), false, RSV1, compressed)
                .client(Opcode.CONTINUATION.code(), true, RSV1, new byte[] {0}));
        assertEquals(CloseCode.PROTOCOL_ERROR, server.connection.closeCode());
    }

    @Test
    void rfc7692_6_1_rsv1OnAControlFrameIs1002() {
        ServerFixture server = open();
        server.receive(Frames.start().client(Opcode.PING.code(), true, RSV1, new byte[0]));
        assertEquals(CloseCode.PROTOCOL_ERROR, server.connection.closeCode());
    }

    @Test
    void rfc6455_5_2_rsv1WithoutTheExtensionIs1002() {
        ServerFixture server = open(DeflateConfig.defaults(), "x-unknown", 1 << 20);
        server.receive(Frames.start().client(Opcode.TEXT.code(), true, RSV1, new byte[] {0x02, 0x00}));
        assertEquals(CloseCode.PROTOCOL_ERROR, server.connection.closeCode());
    }

    @Test
    void rfc7692_8_1_aDecompressionBombIs1009BeforeItFillsMemory() {
        long limit = 64 * 1024;
        ServerFixture server = open(DeflateConfig.defaults(), "permessage-deflate", limit);
        byte[] bomb = compress(new Deflater(9, true), new byte[16 << 20]); // 16 MiB of zeros in ~16 KiB
        assertTrue(bomb.length < 20_000, "the bomb is small on the wire: " + bomb.length);
        server.receive(Frames.start().client(Opcode.BINARY.code(), true, RSV1, bomb));
        assertEquals(CloseCode.MESSAGE_TOO_BIG, server.connection.closeCode());
        assertEquals(List.of("open"), server.listener.events, "nothing was delivered");
    }

    @Test
    void corruptDeflateDataIs1007() {
        ServerFixture server = open();
        server.receive(Frames.start().client(Opcode.BINARY.code(), true, RSV1, new byte[] {(byte) 0xFF, 0x12, 0x34}));
        assertEquals(CloseCode.INVALID_PAYLOAD, server.connection.closeCode());
    }

    @Test
    void rfc6455_8_1_invalidUtf8InsideACompressedTextMessageIs1007() {
        ServerFixture server = open();
        byte[] compressed = compress(new Deflater(6, true), Frames.hex("cebae1bdb9cf83cebcceb5eda080"));
        server.receive(Frames.start().client(Opcode.TEXT.code(), true, RSV1, compressed));
        assertEquals(CloseCode.INVALID_PAYLOAD, server.connection.closeCode());
    }

    @Test
    void rfc7692_7_2_1_largeMessagesGoOutCompressedSmallOnesAsTheyAre() throws Exception {
        ServerFixture server = open();
        String big = "seat C7 is taken; ".repeat(100);
        server.connection.sendText(big);
        server.connection.sendText("tiny");
        byte[] out = server.connection.output().drain();
        ByteBuffer wire = ByteBuffer.wrap(out);
        int b0 = wire.get() & 0xFF;
        assertEquals(0x80 | 0x40 | Opcode.TEXT.code(), b0, "FIN, RSV1, text");
        int length = wire.get() & 0x7F;
        if (length == 126) {
            length = wire.getShort() & 0xFFFF;
        }
        byte[] payload = new byte[length];
        wire.get(payload);
        assertTrue(length < big.length() / 10, "compressed to " + length);
        assertEquals(big, new String(inflate(new Inflater(true), payload), StandardCharsets.UTF_8));
        assertEquals(0x80 | Opcode.TEXT.code(), wire.get() & 0xFF, "below the threshold: no RSV1");
        assertEquals(4, wire.get());
    }

    @Test
    void rfc7692_7_1_1_oneSharedCompressorServesManyConnections() throws Exception {
        MessageDeflater shared = new MessageDeflater(6);
        ConnectionConfig config = ConnectionConfig.builder().deflate(DeflateConfig.defaults()).build();
        List<ServerFixture> servers = List.of(sharedFixture(config, shared), sharedFixture(config, shared));
        // Interleaved messages: each inflates on its own, since the compressor forgets everything after each.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < servers.size(); i++) {
                String text = ("connection " + i + " round " + round + " ").repeat(30);
                servers.get(i).connection.sendText(text);
                byte[] payload = payloadOf(servers.get(i).connection.output().drain());
                assertEquals(text, new String(inflate(new Inflater(true), payload), StandardCharsets.UTF_8));
            }
        }
    }

    private static ServerFixture sharedFixture(ConnectionConfig config, MessageDeflater shared) {
        return ServerFixture.openOffering(config, "permessage-deflate", shared);
    }

    @Test
    void rfc7692_7_1_2_1_aSmallServerWindowIsHonouredEvenWithContextTakeoverAndTheSharedCompressor()
            throws Exception {
        MessageDeflater shared = new MessageDeflater(6);
        ConnectionConfig config = ConnectionConfig.builder().deflate(DeflateConfig.defaults()).build();
        ServerFixture server = ServerFixture.openOffering(config, "permessage-deflate; client_no_context_takeover; "
                + "client_max_window_bits; server_max_window_bits=9", shared);
        assertTrue(server.response.contains("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover;"
                + " client_no_context_takeover; server_max_window_bits=9\r\n"), server.response);
        String text = "{\"seat\":\"C7\",\"state\":\"held\"},".repeat(200);
        Inflater client = new Inflater(true);
        for (int i = 0; i < 2; i++) {
            server.connection.sendText(text);
            byte[] payload = payloadOf(server.connection.output().drain());
            DeflateDistances stream = DeflateDistances.ofMessage(ByteBuffer.wrap(payload));
            assertTrue(stream.longestDistance <= 512, "distance " + stream.longestDistance);
            assertTrue(payload.length < text.length() / 3, "still compressed: " + payload.length);
            assertEquals(text, new String(inflate(client, payload), StandardCharsets.UTF_8));
        }
        shared.close();
    }

    @Test
    void rfc7692_7_1_2_2_aClientHonoursTheClientWindowTheServerAsksFor() throws Exception {
        ClientHandshake handshake = new ClientHandshake("example.com", "/", List.of(),
                List.of(PerMessageDeflate.clientOffer().toHeaderValue()), new HttpHeaders(), new java.util.Random(1));
        Connection client = Connection.client(ConnectionConfig.builder().deflate(
                new DeflateConfig(true, false, 6, 0)).build(), handshake, () -> 0x1234_5678, BufferPool.unpooledHeap(4096),
                new RecordingListener(), 0);
        assertTrue(new String(client.output().drain(), StandardCharsets.ISO_8859_1)
                .contains("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"));
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocketAccept.compute(handshake.key()) + "\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9\r\n\r\n";
        client.receive(ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII)), 0);
        String text = "{\"seat\":\"C7\",\"state\":\"held\"},".repeat(200);
        client.sendText(text);
        ByteBuffer frame = ByteBuffer.wrap(client.output().drain());
        assertEquals(0x80 | 0x40 | Opcode.TEXT.code(), frame.get() & 0xFF, "FIN, RSV1, text");
        assertEquals(0x80 | 126, frame.get() & 0xFF, "masked, 16-bit length");
        byte[] payload = new byte[frame.getShort() & 0xFFFF];
        byte[] mask = new byte[4];
        frame.get(mask).get(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        assertTrue(DeflateDistances.ofMessage(ByteBuffer.wrap(payload)).longestDistance <= 512);
        assertEquals(text, new String(inflate(new Inflater(true), payload), StandardCharsets.UTF_8));
    }

    @Test
    void rfc7692_7_1_1_withItsOwnCompressorTheServerUsesContextAcrossMessages() throws Exception {
        ServerFixture server = open(new DeflateConfig(true, false, 6, 0), "permessage-deflate", 1 << 20);
        String text = "the same seat map, again and again ".repeat(10);
        Inflater client = new Inflater(true);
        int[] sizes = new int[2];
        for (int i = 0; i < 2; i++) {
            server.connection.sendText(text);
            byte[] payload = payloadOf(server.connection.output().drain());
            sizes[i] = payload.length;
            assertEquals(text, new String(inflate(client, payload), StandardCharsets.UTF_8));
        }
        assertTrue(sizes[1] < sizes[0] / 2, "the second message refers back to the first: " + Arrays.toString(sizes));
    }

    @Test
    void rfc7692_7_2_3_2_theClientsContextCarriesAcrossMessages() {
        ServerFixture server = open();
        Deflater client = new Deflater(6, true); // context takeover: one compressor for the whole connection
        for (int i = 0; i < 3; i++) {
            byte[] compressed = compress(client, Frames.utf8("repeat repeat repeat " + i));
            server.receive(Frames.start().client(Opcode.TEXT.code(), true, RSV1, compressed));
        }
        assertEquals(List.of("open", "text:repeat repeat repeat 0", "text:repeat repeat repeat 1",
                "text:repeat repeat repeat 2"), server.listener.events);
        byte[] empty = compress(client, new byte[0]);
        server.receive(Frames.start().client(Opcode.BINARY.code(), true, RSV1, empty));
        assertEquals("binary:", server.listener.events.get(4));
    }
}
