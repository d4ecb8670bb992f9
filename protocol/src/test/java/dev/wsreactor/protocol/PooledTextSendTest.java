package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntFunction;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * A text message that cannot be encoded straight into its frame (it is compressed, or larger than one pooled
 * buffer) is encoded into a buffer of the connection's pool first, which goes back as soon as the frames hold their
 * copy: the pool here overwrites what it gets back and hands it out again, so a buffer given back too early would
 * corrupt the frames, and one never given back would stay outstanding.
 */
class PooledTextSendTest {

    private final KeptMessageTest.CheckingPool pool = new KeptMessageTest.CheckingPool();
    private final KeptMessageTest.Hands listener = new KeptMessageTest.Hands();

    /** What the test's client makes of one sent payload. */
    private interface Decoding {
        String text(byte[] payload) throws DataFormatException;
    }

    private Connection open(String extensions) {
        ConnectionConfig config = ConnectionConfig.builder().deflate(DeflateConfig.defaults()).build();
        Connection connection = Connection.server(config, pool, listener, 0L);
        listener.connection = connection;
        byte[] request = extensions == null ? ServerFixture.RFC_REQUEST.getBytes(StandardCharsets.US_ASCII)
                : ServerFixture.requestOffering(extensions);
        connection.receive(ByteBuffer.wrap(request), 0L);
        assertEquals(ConnectionState.OPEN, connection.state());
        connection.output().drain();
        return connection;
    }

    /** Sends five texts; each arrives whole, every buffer is back after each, and only the first allocates. */
    private void sendFive(Connection connection, IntFunction<String> texts, Decoding client)
            throws DataFormatException {
        int allocatedByTheFirst = 0;
        for (int round = 0; round < 5; round++) {
            String text = texts.apply(round);
            connection.sendText(text);
            List<byte[]> sent = KeptMessageTest.sentPayloads(connection);
            assertEquals(1, sent.size());
            assertEquals(text, client.text(sent.get(0)));
            assertEquals(0, pool.outstanding(), "the encoding buffer and the frames' are back in the pool");
            if (round == 0) {
                allocatedByTheFirst = pool.allocated;
            }
        }
        assertEquals(allocatedByTheFirst, pool.allocated, "later messages reuse the pool's buffers");
    }

    @Test
    void aTextLargerThanOneBufferIsEncodedInAPooledOneAndSentWhole() throws DataFormatException {
        // 18,000 bytes of UTF-8 against buffers of 4,096
        sendFive(open(null), round -> "é€x".repeat(3_000) + round,
                payload -> new String(payload, StandardCharsets.UTF_8));
    }

    @Test
    void aCompressedTextIsEncodedInAPooledBufferAndInflatesToTheMessage() throws DataFormatException {
        Inflater inflater = new Inflater(true); // the client's, which keeps its window across messages
        sendFive(open("permessage-deflate"), round -> "seat " + round + " booked; ".repeat(200), payload -> {
            assertTrue(payload.length < 500, "compressed: " + payload.length + " bytes");
            return new String(DeflateConnectionTest.inflate(inflater, payload), StandardCharsets.UTF_8);
        });
    }
}
