package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With TLS, a send's future completes once the records that carry its bytes are on the socket, not when the
 * engine has merely taken the plaintext: a client that reads nothing keeps it pending, and reading completes it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsWriteCompletionTest {

    @TempDir
    static Path dir;

    @Test
    void aFutureCompletesOnceTheEncryptedBytesAreWritten() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        SSLContext serverContext = certs.server(certs.serverEc);
        SSLContext clientContext = certs.trustingClient();
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .tls(serverContext).build().start()) {
            Socket socket = clientContext.getSocketFactory().createSocket("127.0.0.1", server.port());
            try (RawClient client = RawClient.open(socket)) {
                Session session = RecordingHandler.await(handler.opened);
                int size = 32 << 20;
                CompletableFuture<Void> big = session.sendBinaryAsync(ByteBuffer.allocate(size));
                CompletableFuture<Void> after = session.sendTextAsync("after");
                Eventually.until(() -> session.queuedBytes() < size, "the engine has started on it");
                assertFalse(big.isDone(), "not written while the client reads nothing");
                assertEquals(size, client.readFrame().payload().length);
                big.get(20, TimeUnit.SECONDS);
                assertEquals("after", new String(client.readFrame().payload(), StandardCharsets.UTF_8));
                after.get(20, TimeUnit.SECONDS);
            }
        }
    }
}
