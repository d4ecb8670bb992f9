package dev.wsreactor.reactor;

import static dev.wsreactor.reactor.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** §7.1.1 from the client's side: after the closing handshake the client waits for the server to close TCP. */
class ClientClosingTest {

    @Test
    void afterTheClosingHandshakeTheClientLeavesTcpToTheServerUntilItsCloseTimeout() throws Exception {
        Duration closeTimeout = Duration.ofMillis(600);
        CompletableFuture<Long> clientClosedTcpAfter = new CompletableFuture<>();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                WebSocketClient client = WebSocketClient.builder().closeTimeout(closeTimeout).build()) {
            Thread fake = new Thread(() -> {
                try (Socket socket = listener.accept()) {
                    Matcher key = ClientHandshakeFailureTest.KEY.matcher(
                            ClientHandshakeFailureTest.readHead(socket.getInputStream()));
                    key.find();
                    socket.getOutputStream().write((ClientHandshakeFailureTest.accept(key.group(1)) + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    InputStream in = socket.getInputStream();
                    in.readNBytes(2 + 4 + 2); // the client's Close: header, mask, code
                    socket.getOutputStream().write(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xE8}); // our Close
                    long repliedAt = System.nanoTime();
                    while (in.read() >= 0) {
                        // Nothing more should come; wait for the client's FIN.
                    }
                    clientClosedTcpAfter.complete(System.nanoTime() - repliedAt);
                } catch (Exception e) {
                    clientClosedTcpAfter.completeExceptionally(e);
                }
            }, "fake-server");
            fake.setDaemon(true);
            fake.start();
            ClientRecorder recorder = new ClientRecorder();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/"), recorder)
                    .get(10, TimeUnit.SECONDS);
            session.close();
            assertEquals(1000, await(recorder.closed).code().value());
            long waited = clientClosedTcpAfter.get(10, TimeUnit.SECONDS);
            assertTrue(waited >= closeTimeout.toNanos() / 2, "the client closed TCP first, after " + waited / 1_000_000
                    + " ms; it should wait for the server (§7.1.1), up to its close timeout");
        }
    }
}
