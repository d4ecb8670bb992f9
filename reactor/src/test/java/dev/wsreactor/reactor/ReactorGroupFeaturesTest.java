package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.internal.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Everything the server does, with several reactors: TLS, compression, timers, backpressure, the server-wide
 * connection limit, the two ways of accepting, the MXBeans, and the reactor count itself.
 */
class ReactorGroupFeaturesTest {

    private static final String OFFERING_DEFLATE = RawClient.UPGRADE_REQUEST.replace("\r\n\r\n",
            "\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n");

    private final RelayHandler handler = new RelayHandler();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private WebSocketServer server;

    private WebSocketServer.Builder builder(int reactors) {
        return WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true).reactors(reactors)
                .reusePort(false);
    }

    private WebSocketServer start(WebSocketServer.Builder builder) {
        server = builder.build().start();
        handler.server = server;
        return server;
    }

    private <T extends AutoCloseable> T client(T client) {
        clients.add(client);
        return client;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tlsConnectionsAreServedOnEveryReactor(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        start(builder(4).tls(certs.server(certs.serverEc)));
        var http = JdkClient.httpClient(certs.trustingClient());
        List<JdkClient> tls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tls.add(client(JdkClient.connectTls(http, server.port())));
        }
        for (int i = 0; i < tls.size(); i++) {
            tls.get(i).send("over TLS " + i);
            assertEquals("over TLS " + i, tls.get(i).nextText());
        }
        Eventually.until(() -> server.stats().tlsHandshakes() == 8, "every TLS handshake counted");
        for (ServerStats reactor : server.stats().reactors()) {
            assertEquals(2, reactor.tlsHandshakes(), "each reactor ran its share of the handshakes");
        }
        for (JdkClient client : tls) {
            client.socket.sendClose(1000, "").join();
            client.awaitClose();
        }
        Eventually.until(() -> server.stats().connectionsOpen() == 0, "every TLS connection closed");
        assertEquals(0, server.tlsBuffersInUse(), "every reactor's TLS buffers back in its pool");
    }

    @Test
    void eachReactorCompressesWithItsOwnCompressorWhileTheOthersDoToo() throws Exception {
        start(builder(4));
        int connections = 8;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<Integer>> echoed = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                RawClient raw = client(new RawClient(server.port()));
                raw.write(OFFERING_DEFLATE);
                assertTrue(raw.readHead().contains("permessage-deflate"));
                int id = c;
                echoed.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        // Compressible and different for every connection and message, so that a compressor shared
                        // between two threads would garble somebody's echo.
                        String text = ("connection " + id + " message " + i + " ").repeat(40);
                        raw.writeFrame(Opcode.TEXT.code(), true, 4, true, deflate(text));
                        RawClient.Frame echo = raw.readFrame();
                        assertEquals(Opcode.TEXT.code(), echo.opcode());
                        assertEquals(text, inflate(echo.payload()), "echo " + i + " of connection " + id);
                    }
                    return 50;
                }));
            }
            for (Future<Integer> count : echoed) {
                assertEquals(50, count.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        Eventually.until(() -> server.stats().messagesReceived() == 50 * connections, "every message counted");
        server.stats().reactors().forEach(reactor -> assertEquals(100, reactor.messagesReceived()));
    }

    /** One message as permessage-deflate sends it (RFC 7692 §7.2.1): raw DEFLATE, sync-flushed, tail removed. */
    private static byte[] deflate(String text) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(chunk, 0, n);
        }
        deflater.end();
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - 4);
    }

    private static String inflate(byte[] compressed) throws Exception {
        Inflater inflater = new Inflater(true);
        byte[] withTail = Arrays.copyOf(compressed, compressed.length + 4);
        withTail[withTail.length - 2] = (byte) 0xFF;
        withTail[withTail.length - 1] = (byte) 0xFF;
        inflater.setInput(withTail);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = inflater.inflate(chunk)) > 0) {
            out.write(chunk, 0, n);
        }
        inflater.end();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyReactorRunsItsOwnKeepaliveTimers() throws Exception {
        start(builder(4).idleTimeout(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(200)));
        List<RawClient> idle = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            idle.add(client(RawClient.open(server.port())));
        }
        for (RawClient client : idle) {
            assertEquals(Opcode.PING.code(), client.readFrame().opcode(), "a keepalive Ping after 200 ms");
        }
        for (RawClient client : idle) {
            RawClient.Frame close = client.readFrame();
            assertEquals(Opcode.CLOSE.code(), close.opcode());
            assertEquals(CloseCode.INTERNAL_ERROR.value(), close.closeCode(), "no Pong in time");
        }
        Eventually.until(() -> server.stats().closeCodes().getOrDefault(1011, 0L) == 4, "four keepalive closes");
        server.stats().reactors().forEach(reactor -> assertEquals(1L, reactor.closeCodes().get(1011)));
    }

    @Test
    void aSlowConsumerIsClosedByItsReactorWhileTheOtherServesOn() throws Exception {
        start(builder(2).writeQueueLimits(64 * 1024, 256 * 1024, 1024 * 1024).closeTimeout(Duration.ofMillis(300)));
        client(RawClient.open(server.port())); // reads nothing
        Session slow = RecordingHandler.await(handler.opened);
        JdkClient bystander = client(JdkClient.connect(server.port()));
        Session other = RecordingHandler.await(handler.opened);
        assertNotSame(handler.openedOn.get(slow.id()), handler.openedOn.get(other.id()), "on different reactors");
        byte[] chunk = new byte[64 * 1024];
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (slow.isOpen() && System.nanoTime() < until) {
            slow.sendBinary(chunk);
        }
        assertFalse(slow.isOpen(), "closed as a slow consumer");
        Eventually.until(() -> server.stats().slowConsumersClosed() == 1, "the slow consumer counted");
        long[] perReactor = server.stats().reactors().stream().mapToLong(ServerStats::slowConsumersClosed).toArray();
        assertEquals(1, Arrays.stream(perReactor).filter(count -> count == 1).count(), Arrays.toString(perReactor));
        bystander.send("still served");
        assertEquals("still served", bystander.nextText());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void maxConnectionsIsOneLimitForTheWholeServer(boolean reusePort) throws Exception {
        start(builder(4).reusePort(reusePort).maxConnections(4));
        List<JdkClient> admitted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            admitted.add(client(JdkClient.connect(server.port())));
        }
        try (RawClient fifth = new RawClient(server.port())) {
            fifth.write(RawClient.UPGRADE_REQUEST);
            String head = fifth.readHead();
            assertTrue(head.startsWith("HTTP/1.1 503 "), head);
        }
        admitted.get(0).socket.sendClose(1000, "").join();
        admitted.get(0).awaitClose();
        Eventually.until(() -> server.stats().connectionsOpen() == 3, "room for one more");
        JdkClient next = client(JdkClient.connect(server.port()));
        next.send("admitted again");
        assertEquals("admitted again", next.nextText());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void withSoReusePortTheKernelGivesEveryReactorSomeConnections(int reactors) throws Exception {
        assumeTrue(ListeningSockets.reusePortSupported(), "this platform has no SO_REUSEPORT");
        start(builder(reactors).reusePort(true));
        assertEquals(ListeningSockets.Mode.REUSE_PORT, server.acceptMode());
        // The kernel picks by a hash of each connection's ports: with 40 per reactor, the chance that one gets
        // none is below 1e-17 even for 8 reactors.
        int connections = 40 * reactors;
        for (int i = 0; i < connections; i++) {
            client(RawClient.open(server.port()));
        }
        Eventually.until(() -> server.stats().sessionsOpen() == connections, "every connection open");
        for (ServerStats reactor : server.stats().reactors()) {
            assertTrue(reactor.connectionsAccepted() > 0, "every reactor accepted some: " + server.stats());
        }
    }

    @Test
    void withoutSoReusePortOrWithOneReactorThereIsOneAcceptor() {
        start(builder(3).reusePort(false));
        assertEquals(ListeningSockets.Mode.HAND_OFF, server.acceptMode());
        server.close();
        start(builder(1).reusePort(true));
        assertEquals(ListeningSockets.Mode.HAND_OFF, server.acceptMode());
    }

    @Test
    void aPortSomeoneListensOnIsRefusedEvenWithSoReusePort() throws Exception {
        start(builder(2).reusePort(true));
        WebSocketServer.Builder second = builder(2).reusePort(true).bind("127.0.0.1", server.port());
        assertThrows(UncheckedIOException.class, () -> second.build().start(), "a second server on our port");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            WebSocketServer.Builder third = builder(2).reusePort(true).bind("127.0.0.1", taken.getLocalPort());
            assertThrows(UncheckedIOException.class, () -> third.build().start(), "a port another socket holds");
        }
    }

    @Test
    void everyReactorHasAnMxBeanBesideTheServersTotals() throws Exception {
        start(builder(3).registerMBean(true));
        for (int i = 0; i < 3; i++) {
            client(JdkClient.connect(server.port()));
        }
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        String name = "dev.wsreactor:type=WebSocketServer,port=" + server.port();
        Eventually.until(() -> server.stats().connectionsAccepted() == 3, "three accepted");
        assertEquals(3L, jmx.getAttribute(new ObjectName(name), "ConnectionsAccepted"));
        for (int r = 0; r < 3; r++) {
            assertEquals(1L, jmx.getAttribute(new ObjectName(name + ",reactor=" + r), "ConnectionsAccepted"));
        }
        server.close();
        assertTrue(jmx.queryNames(new ObjectName(name + ",*"), null).isEmpty(), "all unregistered");
        assertFalse(jmx.isRegistered(new ObjectName(name)));
    }

    @Test
    void zeroReactorsMeansOnePerProcessorAndANegativeCountIsRefused() {
        start(builder(WebSocketServer.ONE_PER_PROCESSOR));
        int processors = Runtime.getRuntime().availableProcessors();
        assertEquals(processors, server.reactors());
        assertEquals(processors, server.stats().reactors().size());
        assertThrows(IllegalArgumentException.class, () -> builder(-1).build());
    }
}
