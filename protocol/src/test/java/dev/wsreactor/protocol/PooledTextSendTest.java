package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * A text message that cannot be encoded straight into its frame (it is compressed, or larger than one pooled
 * buffer) is encoded into a buffer of the connection's pool first, which goes back as soon as the frames hold their
 * copy: the pool here reuses what it gets back, so a buffer given back too early would corrupt the frames.
 */
class PooledTextSendTest {

    private final KeptMessageTest.CheckingPool pool = new KeptMessageTest.CheckingPool();
    private final KeptMessageTest.Hands listener = new KeptMessageTest.Hands();

    private Connection open(String extensionsHeader) {
        ConnectionConfig config = ConnectionConfig.builder().deflate(DeflateConfig.defaults()).build();
        Connection connection = Connection.server(config, pool, listener, 0L);
        listener.connection = connection;
        String request = ServerFixture.RFC_REQUEST.replace("Sec-WebSocket-Version: 13\r\n",
                "Sec-WebSocket-Version: 13\r\n" + extensionsHeader);
        connection.receive(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)), 0L);
        assertEquals(ConnectionState.OPEN, connection.state());
        connection.output().drain();
        return connection;
    }

    @Test
    void aTextLargerThanOneBufferIsEncodedInAPooledOneAndSentWhole() {
        Connection connection = open("");
        String text = "é€x".repeat(3_000); // 18,000 bytes of UTF-8 against buffers of 4,096
        int allocatedAfterFirst = -1;
        for (int round = 0; round < 5; round++) {
            connection.sendText(text);
            List<byte[]> sent = KeptMessageTest.sentPayloads(connection);
            assertEquals(1, sent.size());
            assertEquals(text, new String(sent.get(0), StandardCharsets.UTF_8));
            assertEquals(0, pool.outstanding(), "the encoding buffer and the frames' are back in the pool");
            allocatedAfterFirst = round == 0 ? pool.allocated : allocatedAfterFirst;
        }
        assertEquals(allocatedAfterFirst, pool.allocated, "later messages reuse the pool's buffers");
    }

    @Test
    void aCompressedTextIsEncodedInAPooledBufferAndInflatesToTheMessage() throws DataFormatException {
        Connection connection = open("Sec-WebSocket-Extensions: permessage-deflate\r\n");
        Inflater inflater = new Inflater(true); // the client's, which keeps its window across messages
        int allocatedAfterFirst = -1;
        for (int round = 0; round < 5; round++) {
            String text = "seat " + round + " booked; ".repeat(200);
            connection.sendText(text);
            List<byte[]> sent = KeptMessageTest.sentPayloads(connection);
            assertEquals(1, sent.size());
            byte[] compressed = sent.get(0);
            assertEquals(true, compressed.length < text.length() / 4, "compressed: " + compressed.length + " bytes");
            assertEquals(text, new String(DeflateConnectionTest.inflate(inflater, compressed), StandardCharsets.UTF_8));
            assertEquals(0, pool.outstanding(), "the encoding buffer and the frames' are back in the pool");
            allocatedAfterFirst = round == 0 ? pool.allocated : allocatedAfterFirst;
        }
        assertEquals(allocatedAfterFirst, pool.allocated, "later messages reuse the pool's buffers");
    }
}
