package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.internal.Opcode;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code wss://}: the reactor with TLS, against the JDK's own clients, over certificates made at test time. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsIntegrationTest {

    @TempDir
    static Path dir;

    static TestCertificates certs;
    static SSLContext serverContext;
    static SSLContext clientContext;
    static HttpClient http;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(dir);
        serverContext = certs.server(certs.serverEc);
        clientContext = certs.trustingClient();
        http = JdkClient.httpClient(clientContext);
    }

    @AfterAll
    static void closeClient() {
        http = null; // its threads are daemons; it closes with the JVM
    }

    private static WebSocketServer.Builder tlsServer(WebSocketHandler handler) {
        return WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true).tls(serverContext)
                .maxMessageSize(32L << 20);
    }

    /** An SSLSocket to the server that trusts the test CA, offers ALPN http/1.1 and checks the host name. */
    private static SSLSocket tlsSocket(ShapedSocket socket, String... protocols) throws IOException {
        SSLSocket tls = socket.tls(clientContext, protocols);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(20_000);
        return tls;
    }

    /** Waits for a condition the reactor makes true soon (counters are published once per loop iteration). */
    private static void eventually(BooleanSupplier condition, String what) {
        Eventually.until(condition, what);
    }

    /** Whether the peer closed: end of stream or a reset; a timeout is not a close. */
    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException timeout) {
            return false;
        } catch (IOException resetOrAlert) {
            return true;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Echo with the JDK's WebSocket client

    @Test
    void echoesSmallAndSixteenMebibyteMessagesToTheJdkClient() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = tlsServer(handler).build().start();
                JdkClient client = JdkClient.connectTls(http, server.port())) {
            client.send("hello over TLS");
            assertEquals("hello over TLS", client.nextText());

            byte[] big = new byte[16 << 20];
            new Random(7).nextBytes(big);
            client.socket.sendBinary(ByteBuffer.wrap(big), true).get(20, TimeUnit.SECONDS);
            assertArrayEquals(big, client.nextBinary());

            Session session = RecordingHandler.await(handler.opened);
            SSLSession tls = session.tlsSession();
            assertNotNull(tls);
            assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(tls.getProtocol()), tls.getProtocol());
            assertEquals(1, server.stats().tlsHandshakes());
            assertTrue(server.stats().tlsTaskNanos() > 0, "the handshake's delegated tasks were timed");
        }
    }

    @Test
    void echoesFragmentedMessages() throws Exception {
        try (WebSocketServer server = tlsServer(new RecordingHandler()).build().start();
                JdkClient client = JdkClient.connectTls(http, server.port())) {
            client.socket.sendText("frag", false).get(20, TimeUnit.SECONDS);
            client.socket.sendText("men", false).get(20, TimeUnit.SECONDS);
            client.socket.sendText("ted", true).get(20, TimeUnit.SECONDS);
            assertEquals("fragmented", client.nextText());
            byte[] half = new byte[100_000];
            new Random(3).nextBytes(half);
            client.socket.sendBinary(ByteBuffer.wrap(half), false).get(20, TimeUnit.SECONDS);
            client.socket.sendBinary(ByteBuffer.wrap(half), true).get(20, TimeUnit.SECONDS);
            byte[] echo = client.nextBinary();
            assertEquals(200_000, echo.length);
            assertArrayEquals(half, java.util.Arrays.copyOfRange(echo, 100_000, 200_000));
        }
    }

    @Test
    void servesTwoHundredFiftyConcurrentConnections() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        int n = 250;
        try (WebSocketServer server = tlsServer(handler).build().start()) {
            URI uri = URI.create("wss://127.0.0.1:" + server.port() + "/");
            List<CompletableFuture<JdkClient>> connecting = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                connecting.add(JdkClient.connectAsync(http, uri));
            }
            List<JdkClient> clients = new ArrayList<>();
            for (CompletableFuture<JdkClient> future : connecting) {
                clients.add(future.get(60, TimeUnit.SECONDS));
            }
            for (int i = 0; i < n; i++) {
                clients.get(i).socket.sendText("client " + i, true);
            }
            for (int i = 0; i < n; i++) {
                assertEquals("client " + i, clients.get(i).nextText());
            }
            for (JdkClient client : clients) {
                client.socket.sendClose(1000, "done");
            }
            for (JdkClient client : clients) {
                assertEquals(1000, client.awaitClose().code());
            }
            for (int i = 0; i < n; i++) {
                assertEquals(CloseCode.NORMAL_CLOSURE, RecordingHandler.await(handler.closed).code());
            }
            eventually(() -> server.stats().connectionsOpen() == 0, "every connection released");
            assertEquals(n, server.stats().tlsHandshakes());
            assertEquals(0, server.tlsBuffersInUse(), "every TLS buffer back in the pool");
        }
    }

    @Test
    void closeCodesArriveWhicheverSideCloses() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = tlsServer(handler).build().start()) {
            try (JdkClient client = JdkClient.connectTls(http, server.port())) {
                RecordingHandler.await(handler.opened);
                client.socket.sendClose(4001, "client says bye").get(20, TimeUnit.SECONDS);
                RecordingHandler.Closed closed = RecordingHandler.await(handler.closed);
                assertEquals(4001, closed.code().value());
                assertEquals("client says bye", closed.reason());
                assertEquals(4001, client.awaitClose().code()); // the server answers with the same code
            }
            try (JdkClient client = JdkClient.connectTls(http, server.port())) {
                Session session = RecordingHandler.await(handler.opened);
                session.close(CloseCode.of(4002), "server says bye");
                JdkClient.Closed closed = client.awaitClose();
                assertEquals(4002, closed.code());
                assertEquals("server says bye", closed.reason());
                assertEquals(4002, RecordingHandler.await(handler.closed).code().value());
            }
            eventually(() -> server.stats().connectionsOpen() == 0, "both connections released");
            assertEquals(0, server.tlsBuffersInUse());
            assertEquals(0, server.stats().tlsFailures(), "clean closes are no TLS failures");
        }
    }

    @Test
    void aTls12ClientThatSendsCloseNotifyWithoutAWebSocketCloseGets1006AndNoFailure() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = tlsServer(handler).build().start()) {
            SSLSocket tls = tlsSocket(new ShapedSocket(server.port()), "TLSv1.2");
            RawClient client = RawClient.open(tls);
            RecordingHandler.await(handler.opened);
            client.close(); // close_notify, then FIN: the TLS session ends cleanly, the WebSocket one does not
            assertEquals(CloseCode.ABNORMAL_CLOSURE, RecordingHandler.await(handler.closed).code());
            eventually(() -> server.stats().connectionsOpen() == 0, "released");
            assertEquals(0, server.stats().tlsFailures(), "close_notify is not a renegotiation nor a failure");
        }
    }

    @Test
    void broadcastAndShutdownWorkAsOverPlainTcp() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        WebSocketServer server = tlsServer(handler).build().start();
        List<JdkClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                clients.add(JdkClient.connectTls(http, server.port()));
                RecordingHandler.await(handler.opened);
            }
            assertEquals(5, server.broadcast("to everyone").get(20, TimeUnit.SECONDS));
            for (JdkClient client : clients) {
                assertEquals("to everyone", client.nextText()); // one shared frame, wrapped per connection
            }
            server.close();
            for (JdkClient client : clients) {
                assertEquals(CloseCode.GOING_AWAY.value(), client.awaitClose().code());
            }
            assertFalse(server.isRunning());
        } finally {
            server.close();
            clients.forEach(JdkClient::close);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Records cut into pieces, records in bulk

    @Test
    void aClientWritingOneByteAtATimeStillGetsTheHandshakeAndItsEchoes() throws Exception {
        try (WebSocketServer server = tlsServer(new RecordingHandler()).build().start()) {
            ShapedSocket socket = new ShapedSocket(server.port());
            socket.mode = ShapedSocket.Mode.ONE_BYTE_PER_WRITE;
            SSLSocket tls = tlsSocket(socket);
            tls.startHandshake();
            assertEquals("http/1.1", tls.getApplicationProtocol(), "ALPN");
            try (RawClient client = RawClient.open(tls)) {
                client.writeFrame(Opcode.TEXT, true, "one byte per write".getBytes(StandardCharsets.UTF_8));
                assertEquals("one byte per write", client.readFrame().text());
                byte[] payload = new byte[40_000]; // more than two records, each spread over thousands of reads
                new Random(5).nextBytes(payload);
                client.writeFrame(Opcode.BINARY, true, payload);
                assertArrayEquals(payload, client.readFrame().payload());
            }
        }
    }

    @Test
    void manyRecordsArrivingInOneReadAreAllProcessed() throws Exception {
        try (WebSocketServer server = tlsServer(new RecordingHandler()).build().start()) {
            ShapedSocket socket = new ShapedSocket(server.port());
            SSLSocket tls = tlsSocket(socket);
            try (RawClient client = RawClient.open(tls)) {
                socket.mode = ShapedSocket.Mode.HOLD;
                int messages = 500; // one TLS record each, all sent in one TCP write
                for (int i = 0; i < messages; i++) {
                    client.writeFrame(Opcode.TEXT, true, ("message " + i).getBytes(StandardCharsets.UTF_8));
                }
                socket.release();
                socket.mode = ShapedSocket.Mode.NORMAL;
                for (int i = 0; i < messages; i++) {
                    assertEquals("message " + i, client.readFrame().text());
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // What is not TLS, or not trusted

    @Test
    void plainHttpOnTheTlsPortIsClosedAndOthersAreStillServed() throws Exception {
        try (WebSocketServer server = tlsServer(new RecordingHandler()).build().start();
                JdkClient bystander = JdkClient.connectTls(http, server.port())) {
            long start = System.nanoTime();
            try (RawClient plain = new RawClient(server.port())) {
                plain.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                byte[] first = new byte[1];
                int n = plain.input().read(first);
                if (n == 1) {
                    assertEquals(0x15, first[0], "if anything comes back, it is a TLS alert record");
                }
                assertTrue(closedByServer(plain.input()), "the server closed the connection");
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "closed at once, not by a timer");
            eventually(() -> server.stats().tlsFailures() == 1, "the failure counted");
            bystander.send("still here");
            assertEquals("still here", bystander.nextText());
            eventually(() -> server.stats().connectionsOpen() == 1, "the plain client released");
        }
    }

    @Test
    void garbageOnTheTlsPortIsClosed() throws Exception {
        try (WebSocketServer server = tlsServer(new RecordingHandler()).build().start()) {
            byte[] garbage = new byte[10_000];
            new Random(11).nextBytes(garbage);
            garbage[0] = 0x42; // not a TLS record type
            long start = System.nanoTime();
            try (RawClient client = new RawClient(server.port())) {
                try {
                    client.write(garbage);
                } catch (IOException resetWhileWriting) {
                    // The server may close before it has read everything: a reset is a close too.
                }
                assertTrue(closedByServer(client.input()));
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            eventually(() -> server.stats().connectionsOpen() == 0 && server.stats().tlsFailures() == 1,
                    "released and counted");
            try (JdkClient client = JdkClient.connectTls(http, server.port())) {
                client.send("served");
                assertEquals("served", client.nextText());
            }
        }
    }

    @Test
    void theJdkClientRejectsAnExpiredCertificate() throws Exception {
        Throwable failure = handshakeFailure(certs.server(certs.expired));
        assertTrue(hasCause(failure, SSLHandshakeException.class), () -> chain(failure));
        assertTrue(hasCause(failure, java.security.cert.CertificateExpiredException.class), () -> chain(failure));
    }

    @Test
    void theJdkClientRejectsACertificateForAnotherHost() throws Exception {
        Throwable failure = handshakeFailure(certs.server(certs.wrongHost));
        assertTrue(hasCause(failure, SSLHandshakeException.class), () -> chain(failure));
        assertTrue(chain(failure).contains("127.0.0.1"), () -> "the host name check failed: " + chain(failure));
    }

    /** Connects with the CA-trusting client to a server using {@code context}; returns why it failed. */
    private static Throwable handshakeFailure(SSLContext context) throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .tls(context).build().start()) {
            CompletableFuture<JdkClient> connecting = JdkClient.connectAsync(http,
                    URI.create("wss://127.0.0.1:" + server.port() + "/"));
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> connecting.get(20, TimeUnit.SECONDS));
            assertTrue(handler.opened.isEmpty());
            eventually(() -> server.stats().connectionsOpen() == 0, "the refused connection released");
            assertEquals(0, server.stats().tlsHandshakes());
            return failure;
        }
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String chain(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            text.append(t).append(" <- ");
        }
        return text.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Certificates from files, client certificates

    @Test
    void servesFromPemFilesWithRsaAndEcKeys() throws Exception {
        for (Path keystore : List.of(certs.serverRsa, certs.serverEc)) {
            Path[] pem = certs.exportPem(keystore, keystore.getFileName().toString());
            SSLContext context = Tls.fromPem(pem[0], pem[1]);
            try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).daemon(true)
                    .handler(new RecordingHandler()).tls(context).build().start();
                    JdkClient client = JdkClient.connectTls(http, server.port())) {
                client.send("from " + keystore.getFileName());
                assertEquals("from " + keystore.getFileName(), client.nextText());
            }
        }
    }

    @Test
    void requiredClientCertificatesAreCheckedAndVisibleToTheApplication() throws Exception {
        SSLContext context = Tls.fromPkcs12(certs.serverEc, TestCertificates.PASSWORD.toCharArray(),
                Tls.trustStoreFromPem(certs.ca));
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .tls(context, Tls.ClientAuth.NEED).build().start()) {
            CompletableFuture<JdkClient> anonymous = JdkClient.connectAsync(http,
                    URI.create("wss://127.0.0.1:" + server.port() + "/"));
            assertThrows(ExecutionException.class, () -> anonymous.get(20, TimeUnit.SECONDS));
            HttpClient withCertificate = JdkClient.httpClient(certs.clientWithCertificate());
            try (JdkClient client = JdkClient.connectTls(withCertificate, server.port())) {
                client.send("it's me");
                assertEquals("it's me", client.nextText());
                Session session = RecordingHandler.await(handler.opened);
                X509Certificate peer = (X509Certificate) session.tlsSession().getPeerCertificates()[0];
                assertEquals("CN=test client", peer.getSubjectX500Principal().getName());
            }
        }
    }

    @Test
    void wantedClientCertificatesAreOptional() throws Exception {
        SSLContext context = Tls.fromPkcs12(certs.serverEc, TestCertificates.PASSWORD.toCharArray(),
                Tls.trustStoreFromPem(certs.ca));
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .tls(context, Tls.ClientAuth.WANT).build().start();
                JdkClient client = JdkClient.connectTls(http, server.port())) {
            client.send("anonymous");
            assertEquals("anonymous", client.nextText());
            Session session = RecordingHandler.await(handler.opened);
            assertThrows(SSLPeerUnverifiedException.class, () -> session.tlsSession().getPeerCertificates());
        }
    }

    @Test
    void pemWithATraditionalKeyIsRefusedWithAHint() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Tls.parsePrivateKey("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"));
        assertTrue(error.getMessage().contains("openssl pkcs8"), error.getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Renegotiation, timers, vanishing peers, delegated tasks elsewhere

    @Test
    void aTls12RenegotiationIsRefusedByClosingTheConnection() throws Exception {
        try (WebSocketServer server = tlsServer(new RecordingHandler()).build().start()) {
            ShapedSocket socket = new ShapedSocket(server.port());
            SSLSocket tls = tlsSocket(socket, "TLSv1.2");
            try (RawClient client = RawClient.open(tls)) {
                assertEquals("TLSv1.2", tls.getSession().getProtocol());
                client.writeFrame(Opcode.TEXT, true, "before".getBytes(StandardCharsets.UTF_8));
                assertEquals("before", client.readFrame().text());
                try {
                    tls.startHandshake(); // a new ClientHello on the established connection
                } catch (IOException refused) {
                    // The server may already have closed: that is the point.
                }
                assertTrue(closedByServer(client.input()), "the server closed instead of renegotiating");
            }
            eventually(() -> server.stats().tlsFailures() == 1 && server.stats().connectionsOpen() == 0,
                    "counted and released");
        }
    }

    @Test
    void theHandshakeTimeoutCoversTheTlsHandshake() throws Exception {
        try (WebSocketServer server = tlsServer(new RecordingHandler()).handshakeTimeout(Duration.ofMillis(300))
                .build().start()) {
            long start = System.nanoTime();
            try (RawClient silent = new RawClient(server.port());
                    RawClient halfHello = new RawClient(server.port())) {
                halfHello.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // a ClientHello that never ends
                assertTrue(closedByServer(silent.input()));
                assertTrue(closedByServer(halfHello.input()));
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            eventually(() -> server.stats().connectionsOpen() == 0, "both released");
            assertEquals(0, server.tlsBuffersInUse(), "the half record's buffer went back too");
        }
    }

    @Test
    void keepalivePingsGoThroughTls() throws Exception {
        try (WebSocketServer server = tlsServer(new RecordingHandler()).idleTimeout(Duration.ofMillis(200))
                .build().start()) {
            ShapedSocket socket = new ShapedSocket(server.port());
            try (RawClient client = RawClient.open(tlsSocket(socket))) {
                RawClient.Frame ping = client.readFrame(); // we stay silent, so the idle timer fires
                assertEquals(Opcode.PING.code(), ping.opcode());
            }
        }
    }

    @Test
    void aPeerThatVanishesWithoutCloseNotifyIsReleasedWithEverything() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = tlsServer(handler).build().start()) {
            ShapedSocket socket = new ShapedSocket(server.port());
            RawClient client = RawClient.open(tlsSocket(socket));
            RecordingHandler.await(handler.opened);
            socket.setSoLinger(true, 0);
            socket.close(); // the TCP socket under the TLS one: no close_notify, no Close frame, a reset
            assertEquals(CloseCode.ABNORMAL_CLOSURE, RecordingHandler.await(handler.closed).code());
            eventually(() -> server.stats().connectionsOpen() == 0, "released");
            assertEquals(0, server.tlsBuffersInUse());
            client.close();
        }
    }

    @Test
    void delegatedTasksCanRunOnAnExecutor() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (WebSocketServer server = tlsServer(new RecordingHandler()).tlsTaskExecutor(executor).build().start()) {
            URI uri = URI.create("wss://127.0.0.1:" + server.port() + "/");
            List<CompletableFuture<JdkClient>> connecting = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                connecting.add(JdkClient.connectAsync(http, uri));
            }
            for (CompletableFuture<JdkClient> future : connecting) {
                try (JdkClient client = future.get(30, TimeUnit.SECONDS)) {
                    client.send("resumed");
                    assertEquals("resumed", client.nextText());
                }
            }
            assertEquals(20, server.stats().tlsHandshakes());
            assertTrue(server.stats().tlsTaskNanos() > 0);
        } finally {
            executor.shutdown();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Backpressure

    @Test
    void aTlsClientThatDoesNotReadIsClosedAsASlowConsumer() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = tlsServer(handler).writeQueueLimits(64 * 1024, 256 * 1024, 1024 * 1024)
                .closeTimeout(Duration.ofMillis(300)).build().start();
                JdkClient bystander = JdkClient.connectTls(http, server.port())) {
            RecordingHandler.await(handler.opened); // the bystander's
            RawClient client = RawClient.open(tlsSocket(new ShapedSocket(server.port())));
            Session session = RecordingHandler.await(handler.opened);
            byte[] chunk = new byte[64 * 1024];
            long refused = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (session.isOpen() && System.nanoTime() < until) {
                if (!session.sendBinary(chunk)) {
                    refused++;
                }
                long queued = session.queuedBytes();
                assertTrue(queued <= 1024 * 1024 + 4 * (chunk.length + 14) + 127, "bounded: " + queued);
            }
            assertEquals(CloseCode.ABNORMAL_CLOSURE, RecordingHandler.await(handler.closed).code());
            assertTrue(refused > 0, "sends over the limit are refused");
            eventually(() -> server.stats().slowConsumersClosed() == 1, "counted as a slow consumer");
            bystander.send("other clients are still served");
            assertEquals("other clients are still served", bystander.nextText());
            eventually(() -> server.stats().connectionsOpen() == 1, "the slow one released");
            assertEquals(0, server.tlsBuffersInUse(), "an idle TLS connection holds no buffer");
            client.close();
        }
    }

    @Test
    void aTlsClientThatSendsWithoutReadingIsThrottledAndLosesNothing() throws Exception {
        long high = 256 * 1024;
        int frame = 16 * 1024;
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = tlsServer(handler).writeQueueLimits(64 * 1024, high, 64L * 1024 * 1024)
                .build().start();
                RawClient client = RawClient.open(tlsSocket(new ShapedSocket(server.port())))) {
            int messages = 1000; // 16 MiB in all
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    byte[] payload = new byte[frame];
                    for (int i = 0; i < messages; i++) {
                        payload[0] = (byte) i;
                        client.writeFrame(Opcode.BINARY, true, payload);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (int i = 0; i < messages; i++) {
                RawClient.Frame echo = client.readFrame();
                assertEquals(frame, echo.payload().length);
                assertEquals((byte) i, echo.payload()[0], "echo " + i + " in order");
            }
            writer.get(20, TimeUnit.SECONDS);
            // One read event decrypts up to four 64 KiB reads before the pause, plus what is being wrapped.
            assertTrue(handler.maxQueuedOnBinary <= high + 4 * 64 * 1024 + frame,
                    "queued at most " + handler.maxQueuedOnBinary);
        }
    }
}
