package dev.wsreactor.reactor;

import static dev.wsreactor.reactor.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our client over wss:// against our TLS server: a private CA through a custom SSLContext, hostname verification. */
class ClientTlsTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static SSLContext trusting;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(dir);
        trusting = certs.trustingClient();
    }

    private static WebSocketServer server(Path certificate) throws Exception {
        return WebSocketServer.builder().bind("127.0.0.1", 0).handler(new RecordingHandler()).daemon(true)
                .tls(certs.server(certificate)).build().start();
    }

    @Test
    void messagesGoOverTlsToAServerOurCaSigned() throws Exception {
        try (WebSocketServer server = server(certs.serverEc);
                WebSocketClient client = WebSocketClient.builder().tls(trusting).build()) {
            ClientRecorder recorder = new ClientRecorder();
            Session session = client.connect(URI.create("wss://localhost:" + server.port() + "/"), recorder)
                    .get(10, TimeUnit.SECONDS);
            assertEquals("TLSv1.3", session.tlsSession().getProtocol());
            String big = "x".repeat(100_000); // many records each way
            session.sendText(big);
            assertEquals(big, await(recorder.texts));
            session.close();
            assertEquals(1000, await(recorder.closed).code().value());
        }
    }

    @Test
    void connectionsToOneServerShareTheLoopsTlsBuffersAndKeepTheirOwnBytes() throws Exception {
        try (WebSocketServer server = server(certs.serverEc);
                WebSocketClient client = WebSocketClient.builder().tls(trusting).build()) {
            URI uri = URI.create("wss://localhost:" + server.port() + "/");
            java.util.List<ClientRecorder> recorders = new java.util.ArrayList<>();
            java.util.List<Session> sessions = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ClientRecorder recorder = new ClientRecorder();
                recorders.add(recorder);
                sessions.add(client.connect(uri, recorder).get(10, TimeUnit.SECONDS));
            }
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < sessions.size(); i++) {
                    sessions.get(i).sendText(Integer.toString(i).repeat(20_000 + round)); // several records each
                }
                for (int i = 0; i < sessions.size(); i++) {
                    assertEquals(Integer.toString(i).repeat(20_000 + round), await(recorders.get(i).texts));
                }
            }
        }
    }

    @Test
    void connectionsToManyServersShareOneSetOfTlsBuffersAndEachVerifiesItsOwnServer() throws Exception {
        try (WebSocketServer first = server(certs.serverEc);
                WebSocketServer second = server(certs.serverEc);
                WebSocketServer wrongName = server(certs.wrongHost);
                WebSocketClient client = WebSocketClient.builder().tls(trusting).build()) {
            for (int round = 0; round < 2; round++) {
                for (WebSocketServer server : java.util.List.of(first, second)) {
                    ClientRecorder recorder = new ClientRecorder();
                    Session session = client.connect(URI.create("wss://localhost:" + server.port() + "/"), recorder)
                            .get(10, TimeUnit.SECONDS);
                    session.sendText("to " + server.port());
                    assertEquals("to " + server.port(), await(recorder.texts));
                    session.close();
                    assertEquals(1000, await(recorder.closed).code().value());
                }
                URI refused = URI.create("wss://localhost:" + wrongName.port() + "/");
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> client.connect(refused, new ClientRecorder()).get(10, TimeUnit.SECONDS));
                assertInstanceOf(SSLHandshakeException.class, failed.getCause());
            }
            assertEquals(1, client.tlsBufferSets(), "one set for the client's one context, not one per server");
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        try (WebSocketServer server = server(certs.wrongHost);
                WebSocketClient client = WebSocketClient.builder().tls(trusting).build()) {
            URI uri = URI.create("wss://localhost:" + server.port() + "/");
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> client.connect(uri, new ClientRecorder()).get(10, TimeUnit.SECONDS));
            assertInstanceOf(SSLHandshakeException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("localhost"), failed.getCause().getMessage());
        }
    }

    @Test
    void aServerTheDefaultTrustDoesNotKnowIsRefused() throws Exception {
        try (WebSocketServer server = server(certs.serverEc);
                WebSocketClient client = WebSocketClient.builder().build()) {
            URI uri = URI.create("wss://localhost:" + server.port() + "/");
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> client.connect(uri, new ClientRecorder()).get(10, TimeUnit.SECONDS));
            assertInstanceOf(SSLHandshakeException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("PKIX"), failed.getCause().getMessage());
        }
    }
}
