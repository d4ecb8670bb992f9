package dev.wsreactor.examples.seats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.examples.seats.SeatsClient.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seat server against several real WebSocket clients: races, bad input, expiry, flooding. */
class SeatsServerTest {

    private SeatsServer server;
    private final List<SeatsClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(SeatsClient::close);
        if (server != null) {
            server.close();
        }
    }

    private int start(Duration hold) {
        server = SeatsServer.start("127.0.0.1", 0, hold);
        return server.port();
    }

    private SeatsClient client(int port) throws InterruptedException {
        SeatsClient client = SeatsClient.connect(port);
        clients.add(client);
        return client;
    }

    private List<SeatsClient> clients(int port, int n) throws InterruptedException {
        List<SeatsClient> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(client(port));
        }
        return list;
    }

    @Test
    void racingClientsForOneSeatHaveExactlyOneWinnerAndConverge() throws Exception {
        int port = start(Duration.ofSeconds(60));
        List<SeatsClient> racers = clients(port, 8);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            List<Future<Message>> outcomes = new ArrayList<>();
            for (SeatsClient racer : racers) {
                outcomes.add(pool.submit(() -> {
                    go.await();
                    racer.request("hold", "C7");
                    // Mine if the broadcast names me as holder; otherwise the server tells me no.
                    return racer.await(m -> m.isSeat("error", "C7")
                            || m.isSeat("seat-changed", "C7") && racer.id.equals(m.str("owner")));
                }));
            }
            go.countDown();
            List<SeatsClient> winners = new ArrayList<>();
            for (int i = 0; i < racers.size(); i++) {
                if (outcomes.get(i).get(20, TimeUnit.SECONDS).is("seat-changed")) {
                    winners.add(racers.get(i));
                }
            }
            assertEquals(1, winners.size(), "exactly one client holds C7");
            SeatsClient winner = winners.get(0);

            winner.request("confirm", "C7");
            for (SeatsClient racer : racers) {
                racer.await(m -> m.isSeat("seat-changed", "C7") && "sold".equals(m.str("state")));
            }
            Map<String, String> expected = Map.of("C7", "sold/" + winner.id);
            for (SeatsClient racer : racers) {
                assertEquals(expected, racer.seats, "client " + racer.id + " sees the same map");
            }
            assertEquals(expected, client(port).seats, "a newcomer's snapshot agrees");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStormOfHoldsOverARowLeavesEachSeatWithOneHolderEverywhere() throws Exception {
        int port = start(Duration.ofSeconds(60));
        List<SeatsClient> racers = clients(port, 6);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            List<Future<Integer>> wins = new ArrayList<>();
            for (SeatsClient racer : racers) {
                wins.add(pool.submit(() -> {
                    List<String> row = new ArrayList<>();
                    for (int n = 1; n <= 16; n++) {
                        row.add("A" + n);
                    }
                    java.util.Collections.shuffle(row);
                    go.await();
                    for (String seat : row) {
                        racer.request("hold", seat);
                    }
                    // One answer per request: the broadcast naming me, or an error naming the seat.
                    int won = 0;
                    for (int answers = 0; answers < row.size(); ) {
                        Message m = racer.next();
                        if (m.is("error")) {
                            answers++;
                        } else if (m.is("seat-changed") && racer.id.equals(m.str("owner"))) {
                            answers++;
                            won++;
                        }
                    }
                    return won;
                }));
            }
            go.countDown();
            Map<String, Integer> wonBy = new HashMap<>();
            int total = 0;
            for (int i = 0; i < racers.size(); i++) {
                int won = wins.get(i).get(20, TimeUnit.SECONDS);
                assertTrue(won <= 8, "no client holds more than the limit");
                wonBy.put(racers.get(i).id, won);
                total += won;
            }
            assertEquals(16, total, "every seat of row A was won exactly once");

            // Everyone has seen every change by now? Not necessarily: sync on a last, known change.
            SeatsClient referee = client(port);
            referee.request("hold", "J16");
            referee.await(m -> m.isSeat("seat-changed", "J16"));
            for (SeatsClient racer : racers) {
                racer.await(m -> m.isSeat("seat-changed", "J16"));
            }
            Map<String, String> reference = referee.seats;
            assertEquals(17, reference.size());
            for (SeatsClient racer : racers) {
                assertEquals(reference, racer.seats, "client " + racer.id + " converged");
                long held = reference.values().stream().filter(v -> v.equals("held/" + racer.id)).count();
                assertEquals((long) wonBy.get(racer.id), held, "the map agrees with what " + racer.id + " was told");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badRequestsGetAnErrorToTheSenderOnlyAndChangeNothing() throws Exception {
        int port = start(Duration.ofSeconds(60));
        SeatsClient bad = client(port);
        SeatsClient owner = client(port);
        SeatsClient observer = client(port);

        owner.request("hold", "C3");
        owner.await(m -> m.isSeat("seat-changed", "C3"));
        owner.request("hold", "C4");
        owner.await(m -> m.isSeat("seat-changed", "C4"));
        owner.request("confirm", "C4");
        owner.await(m -> m.isSeat("seat-changed", "C4") && "sold".equals(m.str("state")));
        bad.await(m -> m.isSeat("seat-changed", "C4") && "sold".equals(m.str("state"))); // nothing else in flight

        List<String> junk = List.of(
                "{not json",
                "",
                "[\"hold\",\"A1\"]",
                "{\"type\":\"hold\"}",
                "{\"type\":\"hold\",\"seat\":7}",
                "{\"type\":\"dance\",\"seat\":\"A1\"}",
                "{\"type\":\"hold\",\"seat\":\"A1\"} trailing",
                "{\"type\":\"hold\",\"seat\":\"Z99\"}",
                "{\"type\":\"hold\",\"seat\":\"A17\"}",
                "{\"type\":\"hold\",\"seat\":\"a1\"}",
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]",
                "{\"type\":\"hold\",\"seat\":\"C3\"}",     // held by someone else
                "{\"type\":\"hold\",\"seat\":\"C4\"}",     // sold
                "{\"type\":\"release\",\"seat\":\"C3\"}",  // someone else's hold
                "{\"type\":\"confirm\",\"seat\":\"C3\"}",  // someone else's hold
                "{\"type\":\"release\",\"seat\":\"D1\"}",  // free
                "{\"type\":\"confirm\",\"seat\":\"D1\"}",  // free
                "{\"type\":\"release\",\"seat\":\"C4\"}"); // sold
        for (String text : junk) {
            bad.send(text);
            Message reply = bad.await(m -> !m.is("watchers"));
            assertEquals("error", reply.type(), "reply to " + text);
            assertFalse(reply.str("message").isBlank());
        }

        // A last, good change, so everything before it has reached the observer: it saw no error and no
        // change other than the good ones.
        owner.request("hold", "J16");
        List<Message> seen = new ArrayList<>();
        Message last;
        do {
            last = observer.next();
            seen.add(last);
        } while (!last.isSeat("seat-changed", "J16"));
        for (Message m : seen) {
            assertTrue(m.is("seat-changed") || m.is("watchers"), "the observer got " + m);
        }
        Map<String, String> expected = Map.of(
                "C3", "held/" + owner.id, "C4", "sold/" + owner.id, "J16", "held/" + owner.id);
        assertEquals(expected, observer.seats);
        assertEquals(expected, client(port).seats, "a newcomer's snapshot agrees");
    }

    @Test
    void releaseFreesAHoldForOthers() throws Exception {
        int port = start(Duration.ofSeconds(60));
        SeatsClient a = client(port);
        SeatsClient b = client(port);
        a.request("hold", "E5");
        b.await(m -> m.isSeat("seat-changed", "E5"));
        a.request("release", "E5");
        Message freed = b.await(m -> m.isSeat("seat-changed", "E5"));
        assertEquals("free", freed.str("state"));
        assertEquals("released", freed.str("cause"));
        b.request("hold", "E5");
        Message mine = b.await(m -> m.isSeat("seat-changed", "E5"));
        assertEquals(b.id, mine.str("owner"));
    }

    @Test
    void anUnconfirmedHoldExpiresAndAConfirmedOneDoesNot() throws Exception {
        int port = start(Duration.ofMillis(300));
        SeatsClient a = client(port);
        SeatsClient b = client(port);

        a.request("hold", "B2");
        a.await(m -> m.isSeat("seat-changed", "B2"));
        a.request("confirm", "B2");
        a.await(m -> m.isSeat("seat-changed", "B2") && "sold".equals(m.str("state")));
        // Held after B2, so its timer runs after B2's: once A1 has expired, B2's timer has had its chance.
        a.request("hold", "A1");
        Message held = b.await(m -> m.isSeat("seat-changed", "A1"));
        assertEquals("held", held.str("state"));
        assertTrue(held.integer("expiresInMs") <= 300);

        Message expired = b.await(m -> m.isSeat("seat-changed", "A1"));
        assertEquals("free", expired.str("state"));
        assertEquals("expired", expired.str("cause"));
        assertEquals(Map.of("B2", "sold/" + a.id), b.seats);
        assertEquals(Map.of("B2", "sold/" + a.id), client(port).seats);
    }

    @Test
    void aFloodIsClosedWithPolicyViolationAndOthersCarryOn() throws Exception {
        int port = start(Duration.ofSeconds(60));
        SeatsClient flooder = client(port);
        SeatsClient bystander = client(port);
        int sent = 0;
        try {
            for (; sent < 500; sent++) {
                flooder.request("release", "A1");
            }
        } catch (CompletionException e) {
            // the server closed the connection while we were still sending: expected
        }
        Message closed = flooder.await(m -> m.is("closed") || m.is("failed"));
        assertEquals("closed", closed.type(), "closed with a Close frame: " + closed);
        assertEquals(1008, closed.integer("code"));
        assertTrue(sent > 50, "the first 50 messages were allowed");

        Message watchers = bystander.await(m -> m.is("watchers") && m.integer("count") == 1);
        assertEquals(1, watchers.integer("count"));
        bystander.request("hold", "A1");
        assertEquals(bystander.id, bystander.await(m -> m.isSeat("seat-changed", "A1")).str("owner"));
    }

    @Test
    void aClientComingBackWithItsTokenKeepsItsHolds() throws Exception {
        int port = start(Duration.ofSeconds(60));
        SeatsClient first = client(port);
        first.request("hold", "F9");
        first.await(m -> m.isSeat("seat-changed", "F9"));
        first.close();

        SeatsClient again = SeatsClient.reconnect(port, first.token);
        clients.add(again);
        assertEquals(first.id, again.id);
        assertEquals(Map.of("F9", "held/" + first.id), again.seats);
        again.request("confirm", "F9");
        assertEquals("sold", again.await(m -> m.isSeat("seat-changed", "F9")).str("state"));

        SeatsClient stranger = SeatsClient.reconnect(port, "not-a-token");
        clients.add(stranger);
        assertNotEquals(first.id, stranger.id, "an unknown token gets a new identity");
    }

    @Test
    void watchersAreCountedAndPushed() throws Exception {
        int port = start(Duration.ofSeconds(60));
        SeatsClient a = client(port);
        assertEquals(1, a.watchers);
        SeatsClient b = client(port);
        assertEquals(2, b.watchers);
        a.await(m -> m.is("watchers") && m.integer("count") == 2);
        b.close();
        a.await(m -> m.is("watchers") && m.integer("count") == 1);
    }

    @Test
    void servesThePageAndOnlyThePage() throws Exception {
        int port = start(Duration.ofSeconds(60));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(SeatsClient.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertTrue(page.body().contains("<script src=\"seats.js\">"));
        for (String file : List.of("/seats.js", "/seats.css")) {
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + file))
                    .timeout(SeatsClient.TIMEOUT).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/../etc/passwd"))
                .timeout(SeatsClient.TIMEOUT).build(), HttpResponse.BodyHandlers.discarding()).statusCode());

        // The WebSocket lives at /ws only, and a browser page from another site may not use it.
        CompletionException wrongPath = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/"),
                        new java.net.http.WebSocket.Listener() { }).join());
        assertEquals(404, ((WebSocketHandshakeException) wrongPath.getCause()).getResponse().statusCode());
        CompletionException foreign = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> http.newWebSocketBuilder().header("Origin", "http://evil.example")
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"),
                                new java.net.http.WebSocket.Listener() { }).join());
        assertEquals(403, ((WebSocketHandshakeException) foreign.getCause()).getResponse().statusCode());
    }

    @Test
    void aBrowserMustReachItByANameItServes() throws Exception {
        // DNS rebinding: evil.example made to resolve to 127.0.0.1 sends Host and Origin that agree, both foreign.
        int port = start(Duration.ofSeconds(60));
        String rebound = "evil.example:" + port;
        assertEquals("403", upgradeStatus(port, rebound, "http://" + rebound));
        assertEquals("101", upgradeStatus(port, "127.0.0.1:" + port, "http://127.0.0.1:" + port));
        assertEquals("101", upgradeStatus(port, "LOCALHOST:" + port, "http://LOCALHOST:" + port));
        assertEquals("403", upgradeStatus(port, "127.0.0.1:1", "http://127.0.0.1:1"), "another port is another origin");
        assertEquals("101", upgradeStatus(port, rebound, null), "a client that is no browser may name us as it likes");
    }

    /** The status code of the response to an upgrade of /ws with this Host and Origin (none if null). */
    private static String upgradeStatus(int port, String host, String origin) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] status = socket.getInputStream().readNBytes(12); // "HTTP/1.1 101"
            return new String(status, java.nio.charset.StandardCharsets.US_ASCII).substring(9);
        }
    }
}
