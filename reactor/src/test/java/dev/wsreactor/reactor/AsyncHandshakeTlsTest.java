package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.handshake.HandshakeDecision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A decision made later over wss://: the early frames are decrypted, held, and read after the 101 all the same. */
class AsyncHandshakeTlsTest {

    @TempDir
    Path dir;

    @Test
    void earlyFramesOverTlsWaitForTheDecisionAndAreEchoedAfterThe101() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        SSLContext client = certs.trustingClient();
        BlockingQueue<CompletableFuture<HandshakeDecision>> asked = new LinkedBlockingQueue<>();
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).daemon(true)
                .tls(certs.server(certs.serverEc)).handler(handler).authenticate(request -> {
                    CompletableFuture<HandshakeDecision> decision = new CompletableFuture<>();
                    asked.add(decision);
                    return decision;
                }).build().start()) {
            SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.port());
            try (RawClient raw = new RawClient(socket)) {
                // One write, so one TLS record: the frame is decrypted with the request, before any decision.
                raw.write(requestAndFrame("early"));
                CompletableFuture<HandshakeDecision> decision = asked.poll(20, TimeUnit.SECONDS);
                assertTrue(decision != null, "the authenticator was asked");
                assertTrue(handler.events.isEmpty());
                decision.complete(HandshakeDecision.accept(Map.of("over", "tls")));
                assertTrue(raw.readHead().startsWith("HTTP/1.1 101 "));
                assertEquals("early", raw.readFrame().text());
                assertEquals("tls", RecordingHandler.await(handler.opened).attribute("over"));
            }
        }
    }

    /** The upgrade request and a masked text frame (§5.3) of under 126 bytes, as one array. */
    private static byte[] requestAndFrame(String text) {
        byte[] request = RawClient.UPGRADE_REQUEST.getBytes(StandardCharsets.US_ASCII);
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[request.length + 6 + payload.length];
        System.arraycopy(request, 0, all, 0, request.length);
        int at = request.length;
        byte[] mask = {1, 2, 3, 4};
        all[at] = (byte) (0x80 | Opcode.TEXT.code());
        all[at + 1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, all, at + 2, 4);
        for (int i = 0; i < payload.length; i++) {
            all[at + 6 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return all;
    }
}
