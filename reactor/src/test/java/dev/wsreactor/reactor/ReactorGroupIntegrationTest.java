package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several reactors behind one server, with the JDK's client: each connection on one reactor, every reactor given
 * some, and what the server does as a whole (broadcast, stats, shutdown, sends between sessions and from other
 * threads) the same as with one. Run for 1, 2, 4 and 8 reactors, more than this machine has cores.
 */
class ReactorGroupIntegrationTest {

    private final RelayHandler handler = new RelayHandler();
    private final List<JdkClient> clients = new ArrayList<>();
    private WebSocketServer server;

    /** One acceptor handing out connections, so the spread is exact: each reactor holds clients / n. */
    private WebSocketServer start(int reactors) {
        server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true).reactors(reactors)
                .reusePort(false).build().start();
        handler.server = server;
        return server;
    }

    private List<JdkClient> connect(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            clients.add(JdkClient.connect(server.port(), "/?name=c" + clients.size(), List.of()));
        }
        for (int i = 0; i < count; i++) {
            RecordingHandler.await(handler.opened);
        }
        return clients;
    }

    /** What one of several threads does; returns a count the test checks. */
    interface Sender {
        int send(int sender) throws Exception;
    }

    /** Runs the senders at once, each on its own thread, and {@code meanwhile} on this one; their counts. */
    private static List<Integer> concurrently(int senders, Sender sender, Runnable meanwhile) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int id = s;
                futures.add(pool.submit(() -> {
                    go.await();
                    return sender.send(id);
                }));
            }
            go.countDown();
            meanwhile.run();
            List<Integer> counts = new ArrayList<>();
            for (Future<Integer> future : futures) {
                counts.add(future.get(20, TimeUnit.SECONDS)); // here, so a failure fails the test for what it is
            }
            return counts;
        } finally {
            pool.shutdownNow();
        }
    }

    @AfterEach
    void stop() {
        clients.forEach(JdkClient::close);
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void manyClientsEchoAndEveryReactorServesItsShare(int reactors) throws Exception {
        start(reactors);
        connect(4 * reactors);
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).send("client " + i + " round " + round);
            }
        }
        for (int i = 0; i < clients.size(); i++) {
            for (int round = 0; round < 20; round++) {
                assertEquals("client " + i + " round " + round, clients.get(i).nextText());
            }
        }
        Eventually.until(() -> server.stats().messagesReceived() == 20L * clients.size(), "every message counted");
        List<ServerStats> each = server.stats().reactors();
        assertEquals(reactors, each.size());
        for (int r = 0; r < reactors; r++) {
            assertEquals(4, each.get(r).connectionsOpen(), "reactor " + r + " holds its share");
            assertEquals(80, each.get(r).messagesReceived(), "reactor " + r + " echoed its clients' messages");
        }
        Set<Thread> threads = new HashSet<>(handler.openedOn.values());
        assertEquals(reactors, threads.size(), "one thread per reactor: " + threads);
        Set<Long> ids = new HashSet<>();
        server.sessions().forEach(session -> assertTrue(ids.add(session.id()), "ids unique server-wide"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void aBroadcastReachesEverySessionOnceAndInEachSendersOrder(int reactors) throws Exception {
        start(reactors);
        connect(2 * reactors + 1);
        int senders = 3;
        int perSender = 50;
        Sender broadcasts = sender -> {
            int total = 0;
            for (int i = 0; i < perSender; i++) {
                total += server.broadcast("t" + sender + ":" + i).get(20, TimeUnit.SECONDS);
            }
            return total;
        };
        // One more sender: a handler, broadcasting from its own reactor thread to every reactor.
        Runnable shouts = () -> {
            for (int i = 0; i < perSender; i++) {
                clients.get(0).send("shout:" + i);
            }
        };
        for (int total : concurrently(senders, broadcasts, shouts)) {
            assertEquals(perSender * clients.size(), total, "queued to every session");
        }
        for (JdkClient client : clients) {
            Map<String, Integer> next = new HashMap<>();
            for (int n = 0; n < (senders + 1) * perSender; n++) {
                String[] parts = client.nextText().split(":");
                assertEquals(next.getOrDefault(parts[0], 0), Integer.parseInt(parts[1]), "order of " + parts[0]);
                next.put(parts[0], Integer.parseInt(parts[1]) + 1);
            }
            assertEquals(Map.of("t0", perSender, "t1", perSender, "t2", perSender, "c0", perSender), next);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void handlersSendToSessionsOnOtherReactorsInEachSendersOrder(int reactors) throws Exception {
        start(reactors);
        connect(2 * reactors);
        int perPair = 10;
        for (int i = 0; i < perPair; i++) {
            for (int from = 0; from < clients.size(); from++) {
                for (int to = 0; to < clients.size(); to++) {
                    if (to != from) {
                        clients.get(from).send("to:c" + to + ":" + i);
                    }
                }
            }
        }
        for (JdkClient client : clients) {
            Map<String, Integer> next = new HashMap<>();
            for (int n = 0; n < (clients.size() - 1) * perPair; n++) {
                String[] parts = client.nextText().split(":"); // from:cN:i
                assertEquals("from", parts[0]);
                assertEquals(next.getOrDefault(parts[1], 0), Integer.parseInt(parts[2]), "order from " + parts[1]);
                next.put(parts[1], Integer.parseInt(parts[2]) + 1);
            }
            assertEquals(clients.size() - 1, next.size(), "a message from every other client");
            next.values().forEach(count -> assertEquals(perPair, count));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void sendsFromOtherThreadsReachSessionsOnEveryReactorInEachThreadsOrder(int reactors) throws Exception {
        start(reactors);
        connect(2 * reactors);
        List<Session> sessions = server.sessions();
        assertEquals(clients.size(), sessions.size());
        int threads = 4;
        int perThread = 100;
        Sender sends = sender -> {
            int refused = 0;
            for (int i = 0; i < perThread; i++) {
                for (Session session : sessions) {
                    refused += session.sendText(sender + ":" + i).isAccepted() ? 0 : 1;
                }
            }
            return refused;
        };
        for (int refused : concurrently(threads, sends, () -> { })) {
            assertEquals(0, refused, "no send refused");
        }
        for (JdkClient client : clients) {
            int[] next = new int[threads];
            for (int n = 0; n < threads * perThread; n++) {
                String[] parts = client.nextText().split(":");
                int sender = Integer.parseInt(parts[0]);
                assertEquals(next[sender], Integer.parseInt(parts[1]), "order of thread " + sender);
                next[sender]++;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void sessionExecuteRunsOnTheSessionsOwnReactorAfterTheCallersEarlierSends(int reactors) throws Exception {
        start(reactors);
        connect(2 * reactors);
        for (Session session : server.sessions()) {
            CompletableFuture<Thread> ranOn = new CompletableFuture<>();
            assertEquals(SendResult.ACCEPTED, session.sendText("before"));
            assertTrue(session.execute(() -> {
                session.sendText("inside");
                ranOn.complete(Thread.currentThread());
            }));
            assertSame(handler.openedOn.get(session.id()), ranOn.get(20, TimeUnit.SECONDS), "its reactor's thread");
        }
        for (JdkClient client : clients) {
            assertEquals("before", client.nextText());
            assertEquals("inside", client.nextText());
        }
        Session any = server.sessions().get(0);
        server.close();
        assertFalse(any.execute(() -> { }), "refused once its reactor has stopped");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void shutdownClosesEverySessionOnEveryReactorWith1001(int reactors) throws Exception {
        start(reactors);
        connect(3 * reactors);
        server.close();
        assertFalse(server.isRunning(), "every reactor has stopped");
        for (JdkClient client : clients) {
            assertEquals(CloseCode.GOING_AWAY.value(), client.awaitClose().code());
        }
        for (int i = 0; i < clients.size(); i++) {
            assertEquals(CloseCode.GOING_AWAY, RecordingHandler.await(handler.closed).code());
        }
        ServerStats stats = server.stats();
        assertEquals(Map.of(1001, (long) clients.size()), stats.closeCodes());
        for (ServerStats reactor : stats.reactors()) {
            assertEquals(Map.of(1001, 3L), reactor.closeCodes());
            assertEquals(0, reactor.connectionsOpen());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void theServersFiguresAreTheSumsOfItsReactors(int reactors) throws Exception {
        start(reactors);
        connect(2 * reactors);
        for (JdkClient client : clients) {
            client.send("counted");
            assertEquals("counted", client.nextText());
        }
        clients.get(0).socket.sendClose(4001, "first").join();
        clients.get(clients.size() - 1).socket.sendClose(4002, "last").join();
        Eventually.until(() -> server.stats().closeCodes().size() == 2, "both closes counted");
        ServerStats stats = server.stats();
        for (Counter counter : Counter.values()) {
            long sum = stats.reactors().stream().mapToLong(reactor -> reactor.get(counter)).sum();
            assertEquals(sum, stats.get(counter), counter.toString());
        }
        assertEquals(clients.size(), stats.messagesReceived());
        assertEquals(clients.size(), stats.connectionsAccepted());
        assertEquals(clients.size() - 2, stats.sessionsOpen());
        assertEquals(Map.of(4001, 1L, 4002, 1L), stats.closeCodes());
        assertNotEquals(0, stats.bytesRead());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void sessionsCannotBeListedFromAHandlerWhenOtherReactorsWouldBeWaitedFor(int reactors) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        server = WebSocketServer.builder().bind("127.0.0.1", 0).daemon(true).reactors(reactors)
                .handler(new WebSocketHandler() {
                    @Override
                    public void onOpen(Session session) {
                        try {
                            thrown.complete(new AssertionError("listed " + server.sessions()));
                        } catch (IllegalStateException refused) {
                            thrown.complete(refused);
                        }
                    }
                }).build().start();
        clients.add(JdkClient.connect(server.port()));
        Throwable refused = thrown.get(20, TimeUnit.SECONDS);
        assertTrue(refused instanceof IllegalStateException && refused.getMessage().contains("another thread"),
                refused.toString());
        assertEquals(1, server.sessions().size(), "from another thread it waits for every reactor");
    }
}
