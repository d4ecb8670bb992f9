package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Our client role against our server role, bytes alone: whatever messages the client sends, however TCP splits
 * the bytes each way, with or without permessage-deflate, the server gets them in order and the client gets the
 * echoes in order, and the closing handshake ends both sides with the client's code.
 */
class ClientServerProperties {

    @Property(tries = 300)
    void clientAndServerAgreeOnAnyMessageSequenceOverAnySplit(
            @ForAll @Size(max = 6) List<@StringLength(max = 400) String> messages,
            @ForAll @IntRange(min = 1, max = 200) int largestPiece, @ForAll long seed, @ForAll boolean compress) {
        Random random = new Random(seed);
        ConnectionConfig config = ConnectionConfig.builder()
                .deflate(compress ? DeflateConfig.defaults() : DeflateConfig.disabled()).build();
        BufferPool pool = BufferPool.unpooledHeap(4096);
        RecordingListener atClient = new RecordingListener();
        RecordingListener atServer = new RecordingListener();
        atServer.echo = true;
        ClientHandshake handshake = new ClientHandshake("example.com", "/", List.of(),
                compress ? List.of(PerMessageDeflate.clientOffer().toHeaderValue()) : List.of(), new HttpHeaders(),
                random);
        Connection client = Connection.client(config, handshake, random::nextInt, pool, atClient, 0);
        Connection server = Connection.server(config, pool, atServer, 0);
        atClient.connection = client;
        atServer.connection = server;
        List<String> expected = new ArrayList<>(List.of("open"));
        pump(client, server, random, largestPiece);
        for (int i = 0; i < messages.size(); i++) {
            String text = messages.get(i);
            if (i % 2 == 0) {
                client.sendText(text);
                expected.add("text:" + text);
            } else {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                expected.add("binary:" + RecordingFrameListener.hex(bytes.duplicate()));
                client.sendBinary(bytes);
            }
            if (random.nextBoolean()) {
                pump(client, server, random, largestPiece); // sometimes echoes interleave with later sends
            }
        }
        client.close(CloseCode.of(4001), "done", 0);
        pump(client, server, random, largestPiece);
        List<String> echoed = new ArrayList<>(expected);
        expected.add("close:4001:done");
        echoed.add("close:4001:"); // the server's Close echoes the code, without the reason
        assertEquals(expected, atServer.events, "what the server got");
        assertEquals(echoed, atClient.events, "what the client got back");
        assertEquals(ConnectionState.CLOSED, client.state());
    }

    /** Moves bytes both ways in random pieces until neither side has anything left to send. */
    private static void pump(Connection client, Connection server, Random random, int largestPiece) {
        boolean moved = true;
        while (moved) {
            moved = transfer(client, server, random, largestPiece) | transfer(server, client, random, largestPiece);
        }
        if (server.shouldCloseTransport()) {
            client.transportClosed(0); // the server closes TCP first (§7.1.1); the client then hears it
            server.transportClosed(0);
        }
    }

    private static boolean transfer(Connection from, Connection to, Random random, int largestPiece) {
        byte[] bytes = from.output().drain();
        for (int at = 0; at < bytes.length;) {
            int piece = Math.min(bytes.length - at, 1 + random.nextInt(largestPiece));
            to.receive(ByteBuffer.wrap(Arrays.copyOfRange(bytes, at, at + piece)), 0);
            while (to.hasPendingInput()) {
                to.resumeInput(0);
            }
            at += piece;
        }
        return bytes.length > 0;
    }
}
