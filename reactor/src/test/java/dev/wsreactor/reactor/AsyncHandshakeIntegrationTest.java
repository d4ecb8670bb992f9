package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.handshake.HttpRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous handshake end to end: the authenticator's stage is completed by the test's thread, never the
 * reactor's, and what the client sees is checked on the wire (the 101's headers, a rejection's status and body, the
 * early frames echoed after the 101) or with the JDK's client.
 */
class AsyncHandshakeIntegrationTest {

    /** A request the authenticator was asked about, and the decision the test completes when it likes. */
    record Asked(HttpRequest request, CompletableFuture<HandshakeDecision> decision) {
    }

    private final BlockingQueue<Asked> asked = new LinkedBlockingQueue<>();
    private final RecordingHandler handler = new RecordingHandler();
    private WebSocketServer server;

    private WebSocketServer start(WebSocketServer.Builder builder) {
        server = builder.bind("127.0.0.1", 0).daemon(true).build().start();
        return server;
    }

    private WebSocketServer.Builder deciding() {
        return WebSocketServer.builder().handler(handler).authenticate(request -> {
            CompletableFuture<HandshakeDecision> decision = new CompletableFuture<>();
            asked.add(new Asked(request, decision));
            return decision;
        });
    }

    private Asked nextAsked() throws InterruptedException {
        Asked next = asked.poll(20, TimeUnit.SECONDS);
        assertTrue(next != null, "the authenticator was asked");
        return next;
    }

    private long count(Counter counter) {
        return server.stats().get(counter);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anAcceptFromAnotherThreadOpensWithItsAttributesAndItsHeadersOnThe101() throws Exception {
        start(deciding());
        try (RawClient client = new RawClient(server.port())) {
            client.write(RawClient.UPGRADE_REQUEST.replace("GET /", "GET /?token=t1"));
            Asked request = nextAsked();
            assertEquals("t1", request.request().queryParameter("token"));
            new Thread(() -> request.decision().complete(HandshakeDecision.accept(Map.of("user", "ada"))
                    .withHeader("Set-Cookie", "session=s1; HttpOnly"))).start();
            String head = client.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertTrue(head.contains("\r\nSet-Cookie: session=s1; HttpOnly\r\n"), head);
            Session session = RecordingHandler.await(handler.opened);
            assertEquals("ada", session.attribute("user"));
            assertEquals(Map.of("user", "ada"), session.attributes());
        }
    }

    @Test
    void framesSentRightAfterTheRequestWaitForTheAcceptAndAreEchoedInOrder() throws Exception {
        start(deciding());
        try (RawClient client = new RawClient(server.port())) {
            client.write(RawClient.UPGRADE_REQUEST);
            client.writeFrame(Opcode.TEXT, true, "first".getBytes(StandardCharsets.UTF_8));
            client.writeFrame(Opcode.TEXT, true, "second".getBytes(StandardCharsets.UTF_8));
            Asked request = nextAsked();
            Eventually.until(() -> count(Counter.BYTES_READ) > RawClient.UPGRADE_REQUEST.length(),
                    "the server read the early frame");
            assertTrue(handler.events.isEmpty(), "nothing delivered before the decision: " + handler.events);
            request.decision().complete(HandshakeDecision.accept());
            assertTrue(client.readHead().startsWith("HTTP/1.1 101 "));
            assertEquals("first", client.readFrame().text());
            assertEquals("second", client.readFrame().text());
        }
    }

    @Test
    void aRejectionSendsItsStatusHeadersAndReasonWithTheJdkClientAndOnTheWire() throws Exception {
        start(deciding());
        CompletableFuture<JdkClient> jdk = JdkClient.connectAsync(HttpClient.newHttpClient(),
                URI.create("ws://127.0.0.1:" + server.port() + "/"));
        nextAsked().decision().complete(HandshakeDecision.reject(401, "unknown token")
                .withHeader("WWW-Authenticate", "Bearer"));
        CompletionException failed = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> jdk.orTimeout(20, TimeUnit.SECONDS).join());
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, failed.getCause());
        assertEquals(401, refused.getResponse().statusCode());

        try (RawClient client = new RawClient(server.port())) {
            client.write(RawClient.UPGRADE_REQUEST);
            nextAsked().decision().completeAsync(() -> HandshakeDecision.reject(403, "room is full"));
            String response = client.readUntilClosed();
            assertTrue(response.startsWith("HTTP/1.1 403 Forbidden\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\nroom is full\n"), response);
        }
        Eventually.until(() -> count(Counter.HANDSHAKES_REJECTED) == 2, "both rejections counted");
        assertEquals(java.util.Map.of(401, 1L, 403, 1L), server.stats().httpResponses(),
                "by status, as the metrics show them");
        assertTrue(handler.events.isEmpty());
    }

    @Test
    void aDecisionAfterTheHandshakeTimeoutIsDroppedAndTheClientGotTheTimeoutsAnswer() throws Exception {
        start(deciding().handshakeTimeout(Duration.ofMillis(300)));
        try (RawClient client = new RawClient(server.port())) {
            client.write(RawClient.UPGRADE_REQUEST);
            Asked request = nextAsked();
            assertEquals("", client.readUntilClosed(), "TCP closed, no response: as any handshake that timed out");
            Eventually.until(() -> count(Counter.CONNECTIONS_OPEN) == 0, "the connection is gone");
            request.decision().complete(HandshakeDecision.accept());
            Eventually.until(() -> count(Counter.HANDSHAKE_DECISIONS_DROPPED) == 1, "the late decision dropped");
            assertEquals(1, count(Counter.HANDSHAKES_TIMED_OUT));
            assertEquals(0, count(Counter.CONNECTIONS_HANDSHAKING));
            assertTrue(handler.events.isEmpty(), "never opened: " + handler.events);
        }
    }

    @Test
    void aClientThatLeavesWhileTheDecisionIsPendingIsForgottenAndItsDecisionDropped() throws Exception {
        start(deciding());
        Asked request;
        try (RawClient client = new RawClient(server.port())) {
            client.write(RawClient.UPGRADE_REQUEST);
            request = nextAsked();
        }
        Eventually.until(() -> count(Counter.CONNECTIONS_OPEN) == 0, "the server noticed the client left");
        assertEquals(0, count(Counter.CONNECTIONS_HANDSHAKING));
        request.decision().complete(HandshakeDecision.accept(Map.of("user", "gone")));
        Eventually.until(() -> count(Counter.HANDSHAKE_DECISIONS_DROPPED) == 1, "the decision dropped");
        assertEquals(0, count(Counter.INTERNAL_ERRORS));
        assertTrue(handler.events.isEmpty(), "never opened: " + handler.events);
    }

    @Test
    void anAuthenticatorThatThrowsOrFailsGets500WithAReason() throws Exception {
        start(WebSocketServer.builder().handler(handler).authenticate(request -> {
            if (request.path().equals("/throws")) {
                throw new IllegalStateException("database down");
            }
            return CompletableFuture.supplyAsync(() -> {
                throw new IllegalStateException("database down, later");
            });
        }));
        for (String path : new String[] {"/throws", "/fails"}) {
            try (RawClient client = new RawClient(server.port())) {
                client.write(RawClient.UPGRADE_REQUEST.replace("GET /", "GET " + path));
                String response = client.readUntilClosed();
                assertTrue(response.startsWith("HTTP/1.1 500 Internal Server Error\r\n"), response);
                assertTrue(response.endsWith("\r\n\r\nthe handshake check failed\n"), response);
            }
        }
        assertTrue(handler.events.isEmpty());
    }

    @Test
    @SuppressWarnings("try") // the nested client is held open only for the session it makes
    void routesTakeTheFirstMatchCarryPathParametersAndAnUnroutedPathGets404() throws Exception {
        RecordingHandler files = new RecordingHandler();
        start(WebSocketServer.builder()
                .route("/chat/{room}", handler, request -> CompletableFuture.supplyAsync(
                        () -> HandshakeDecision.accept(Map.of("checked", request.path()))))
                .route("/chat/{room}/{user}", files)
                .route("/files/{path...}", files));
        try (JdkClient chat = JdkClient.connect(server.port(), "/chat/blue%20room", java.util.List.of())) {
            Session session = RecordingHandler.await(handler.opened);
            assertEquals("blue room", session.pathParameter("room"));
            assertEquals("/chat/blue%20room", session.attribute("checked"));
            chat.send("echo");
            assertEquals("echo", chat.nextText());
        }
        try (JdkClient nested = JdkClient.connect(server.port(), "/files/a/b.txt", java.util.List.of())) {
            assertEquals(Map.of("path", "a/b.txt"), RecordingHandler.await(files.opened).pathParameters());
        }
        for (String path : new String[] {"/chat", "/chat/", "/files/../secret", "/other"}) {
            try (RawClient client = new RawClient(server.port())) {
                client.write(RawClient.UPGRADE_REQUEST.replace("GET /", "GET " + path));
                String response = client.readUntilClosed();
                assertTrue(response.startsWith("HTTP/1.1 404 Not Found\r\n"), path + ": " + response);
                assertTrue(response.endsWith("no WebSocket endpoint at " + path + "\n"), response);
            }
        }
        assertNull(handler.opened.poll());
    }

    @Test
    void anIdleSessionIsClosedWith1001ButMessagesKeepItOpen() throws Exception {
        start(WebSocketServer.builder().handler(handler).closeWhenIdle(Duration.ofMillis(1500))
                .pingInterval(Duration.ofMillis(100)));
        try (JdkClient client = JdkClient.connect(server.port())) {
            long lastMessage = 0;
            for (int i = 0; i < 6; i++) { // 6 x 300 ms: longer than the idle time, but a message in each
                client.send("m" + i);
                assertEquals("m" + i, client.nextText());
                lastMessage = System.nanoTime();
                Thread.sleep(300); // the quiet time between messages is what is under test
            }
            assertTrue(handler.closed.isEmpty(), "messages kept it open");
            JdkClient.Closed closed = client.awaitClose();
            assertEquals(1001, closed.code());
            assertEquals("idle timeout", closed.reason());
            long quiet = System.nanoTime() - lastMessage; // the server's clock started a little before ours
            assertTrue(quiet >= Duration.ofMillis(1400).toNanos(), "closed after " + quiet / 1_000_000 + " ms");
            assertEquals(CloseCode.GOING_AWAY, RecordingHandler.await(handler.closed).code());
        }
    }

    @Test
    void aRoutesAuthenticatorRunsAfterTheServersAndTheirAttributesAndHeadersAreMerged() throws Exception {
        BlockingQueue<String> routeAsked = new LinkedBlockingQueue<>();
        start(WebSocketServer.builder()
                .authenticate(request -> CompletableFuture.supplyAsync(() -> request.cookies().containsKey("id")
                        ? HandshakeDecision.accept(Map.of("user", "ada")).withHeader("X-Checked-By", "server")
                        : HandshakeDecision.reject(401, "who are you")))
                .route("/admin", handler, request -> {
                    routeAsked.add(request.path());
                    return CompletableFuture.supplyAsync(() -> HandshakeDecision.accept(Map.of("role", "admin"))
                            .withHeader("X-Checked-By", "route"));
                }));
        try (RawClient client = new RawClient(server.port())) {
            client.write(RawClient.UPGRADE_REQUEST.replace("GET /", "GET /admin").replace("\r\n\r\n",
                    "\r\nCookie: id=1\r\n\r\n"));
            String head = client.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertTrue(head.contains("\r\nX-Checked-By: server\r\nX-Checked-By: route\r\n"), head);
            assertEquals(Map.of("user", "ada", "role", "admin"), RecordingHandler.await(handler.opened).attributes());
        }
        assertEquals("/admin", routeAsked.poll());
        try (RawClient client = new RawClient(server.port())) {
            client.write(RawClient.UPGRADE_REQUEST.replace("GET /", "GET /admin"));
            assertTrue(client.readUntilClosed().startsWith("HTTP/1.1 401 Unauthorized\r\n"));
        }
        assertNull(routeAsked.poll(), "the route's authenticator is not asked once the server's refused");
    }
}
