package dev.wsreactor.reactor;

import static dev.wsreactor.reactor.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A client's connections on a server's own reactors (a gateway that fans in: one thread per relay), and a client
 * spreading its connections over several loops of its own.
 */
class ClientOnReactorsTest {

    /**
     * The gateway: each session it accepts opens a client connection to the upstream server from its onOpen and
     * forwards text both ways. It records the thread of every handler call on either side.
     */
    private static final class Gateway implements WebSocketHandler {
        final Map<String, Set<Thread>> threads = new ConcurrentHashMap<>();
        final AtomicReference<WebSocketClient> client = new AtomicReference<>();
        volatile URI upstream;

        void saw(String relay) {
            threads.computeIfAbsent(relay, r -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread());
        }

        @Override
        public void onOpen(Session downstream) {
            String relay = RelayHandler.name(downstream);
            saw(relay);
            CompletableFuture<Session> up = client.get().connect(upstream, new WebSocketHandler() {
                @Override
                public void onOpen(Session session) {
                    saw(relay);
                }

                @Override
                public void onText(Session session, String text) {
                    saw(relay);
                    downstream.sendText("up:" + text);
                }
            });
            downstream.attribute("upstream", up);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onText(Session downstream, String text) {
            saw(RelayHandler.name(downstream));
            ((CompletableFuture<Session>) downstream.attribute("upstream")).thenAccept(up -> up.sendText(text));
        }
    }

    @Test
    void aRelayOpenedFromOnOpenRunsBothSidesOnTheSessionsOwnReactorThread() throws Exception {
        RecordingHandler upstreamSide = new RecordingHandler();
        Gateway gateway = new Gateway();
        try (WebSocketServer upstream = WebSocketServer.builder().bind("127.0.0.1", 0).handler(upstreamSide)
                        .daemon(true).build().start();
                WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(gateway)
                        .reactors(3).reusePort(false).daemon(true).build().start();
                WebSocketClient onServer = WebSocketClient.builder().on(server).build();
                WebSocketClient outside = WebSocketClient.builder().build()) {
            gateway.upstream = URI.create("ws://127.0.0.1:" + upstream.port() + "/");
            gateway.client.set(onServer);
            List<ClientRecorder> recorders = new ArrayList<>();
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ClientRecorder recorder = new ClientRecorder();
                recorders.add(recorder);
                sessions.add(outside.connect(URI.create("ws://127.0.0.1:" + server.port() + "/?name=r" + i),
                        recorder).get(10, TimeUnit.SECONDS));
            }
            for (int i = 0; i < 6; i++) {
                sessions.get(i).sendText("hello " + i);
                assertEquals("up:hello " + i, await(recorders.get(i).texts), "echoed upstream and back");
            }
            Set<Thread> reactorThreads = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 6; i++) {
                Set<Thread> seen = gateway.threads.get("r" + i);
                assertEquals(1, seen.size(), "relay r" + i + ": every call on both sides on one thread: " + seen);
                Thread thread = seen.iterator().next();
                assertTrue(thread.getName().startsWith("wsreactor-" + server.port() + "-"), thread.getName());
                reactorThreads.add(thread);
            }
            assertTrue(reactorThreads.size() > 1, "the relays are spread over the server's reactors");
        }
    }

    @Test
    void closingTheClientOnAServerClosesItsConnectionsAndLeavesTheServersSessionsOpen() throws Exception {
        RecordingHandler upstreamSide = new RecordingHandler();
        RecordingHandler serverSide = new RecordingHandler();
        try (WebSocketServer upstream = WebSocketServer.builder().bind("127.0.0.1", 0).handler(upstreamSide)
                        .daemon(true).build().start();
                WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(serverSide)
                        .daemon(true).build().start();
                WebSocketClient outside = WebSocketClient.builder().build()) {
            ClientRecorder visitor = new ClientRecorder();
            Session visiting = outside.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), visitor)
                    .get(10, TimeUnit.SECONDS);
            WebSocketClient onServer = WebSocketClient.builder().on(server).build();
            ClientRecorder fromServer = new ClientRecorder();
            Session relay = onServer.connect(URI.create("ws://127.0.0.1:" + upstream.port() + "/"), fromServer)
                    .get(10, TimeUnit.SECONDS);
            assertTrue(relay.isOpen());
            onServer.close();
            assertEquals(CloseCode.GOING_AWAY, await(fromServer.closed).code(), "its own connection got 1001");
            assertEquals(CloseCode.GOING_AWAY, await(upstreamSide.closed).code());
            assertFalse(relay.isOpen());
            visiting.sendText("still here");
            assertEquals("still here", await(visitor.texts), "the server's own session is untouched");
            assertTrue(server.isRunning());
            ExecutionException refused = assertThrows(ExecutionException.class, () -> onServer.connect(
                    URI.create("ws://127.0.0.1:" + upstream.port() + "/"), new ClientRecorder())
                    .get(10, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().contains("closed"), refused.getCause().toString());
        }
    }

    @Test
    void closingTheServerClosesTheConnectionsOfItsClientWithACleanGoingAway() throws Exception {
        RecordingHandler upstreamSide = new RecordingHandler();
        try (WebSocketServer upstream = WebSocketServer.builder().bind("127.0.0.1", 0).handler(upstreamSide)
                .daemon(true).build().start()) {
            WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(new RecordingHandler())
                    .reactors(2).daemon(true).build().start();
            WebSocketClient onServer = WebSocketClient.builder().on(server).build();
            List<ClientRecorder> recorders = List.of(new ClientRecorder(), new ClientRecorder());
            for (ClientRecorder recorder : recorders) {
                onServer.connect(URI.create("ws://127.0.0.1:" + upstream.port() + "/"), recorder)
                        .get(10, TimeUnit.SECONDS);
            }
            server.close();
            assertFalse(server.isRunning());
            for (ClientRecorder recorder : recorders) {
                assertEquals(CloseCode.GOING_AWAY, await(recorder.closed).code());
                RecordingHandler.Closed atUpstream = await(upstreamSide.closed);
                assertEquals(CloseCode.GOING_AWAY, atUpstream.code(), "a Close came, not a dropped socket");
            }
            onServer.close(); // nothing left to close: returns at once
        }
    }

    @Test
    void aClientOnAServerNotStartedIsRefused() {
        WebSocketServer notStarted = WebSocketServer.builder().bind("127.0.0.1", 0)
                .handler(new RecordingHandler()).build();
        assertThrows(IllegalStateException.class, () -> WebSocketClient.builder().on(notStarted).build());
    }

    @Test
    void aClientWithSeveralLoopsSpreadsAHundredConnectionsOverAllOfThem() throws Exception {
        RecordingHandler serverSide = new RecordingHandler();
        Map<String, Integer> perThread = new ConcurrentHashMap<>();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(serverSide)
                        .daemon(true).build().start();
                WebSocketClient client = WebSocketClient.builder().reactors(4).build()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
            List<CompletableFuture<Session>> opening = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                opening.add(client.connect(uri, new WebSocketHandler() {
                    @Override
                    public void onOpen(Session session) {
                        perThread.merge(Thread.currentThread().getName(), 1, Integer::sum);
                    }
                }));
            }
            for (CompletableFuture<Session> each : opening) {
                assertNotNull(each.get(20, TimeUnit.SECONDS));
            }
            assertEquals(Set.of("wsreactor-client-0", "wsreactor-client-1", "wsreactor-client-2",
                    "wsreactor-client-3"), perThread.keySet(), "every loop got some: " + perThread);
            assertEquals(100, perThread.values().stream().mapToInt(Integer::intValue).sum());
            for (int count : perThread.values()) {
                assertTrue(count >= 10, "connections take turns over the loops: " + perThread);
            }
        }
    }

    @Test
    void reactorsAndOnAServerDoNotGoTogether() {
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0)
                .handler(new RecordingHandler()).daemon(true).build().start()) {
            assertThrows(IllegalStateException.class,
                    () -> WebSocketClient.builder().on(server).reactors(2).build());
            assertThrows(IllegalArgumentException.class, () -> WebSocketClient.builder().reactors(0).build());
        }
    }
}
