package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Other threads talking to the reactor: sends, broadcasts and shutdown, through the task queue only. */
class ConcurrencyIntegrationTest {

    @Test
    void sendsFromManyThreadsArriveInEachThreadsOrder() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .build().start(); JdkClient client = JdkClient.connect(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            int threads = 8;
            int perThread = 2000;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Integer>> refusals = new ArrayList<>();
            try {
                for (int t = 0; t < threads; t++) {
                    int sender = t;
                    refusals.add(pool.submit(() -> {
                        go.await();
                        int refused = 0;
                        for (int i = 0; i < perThread; i++) {
                            refused += session.sendText(sender + ":" + i).isAccepted() ? 0 : 1;
                        }
                        return refused;
                    }));
                }
                go.countDown();
                // Checked here, in the test's thread, so that a refused send fails the test for what it is.
                for (int t = 0; t < threads; t++) {
                    assertEquals(0, refusals.get(t).get(20, TimeUnit.SECONDS), "sends refused in thread " + t);
                }
            } finally {
                pool.shutdownNow();
            }
            Map<Integer, Integer> nextExpected = new HashMap<>();
            for (int n = 0; n < threads * perThread; n++) {
                String[] parts = client.nextText().split(":");
                int sender = Integer.parseInt(parts[0]);
                int index = Integer.parseInt(parts[1]);
                assertEquals(nextExpected.getOrDefault(sender, 0), index, "order of thread " + sender);
                nextExpected.put(sender, index + 1);
            }
            for (int t = 0; t < threads; t++) {
                assertEquals(perThread, nextExpected.get(t), "every message of thread " + t);
            }
        }
    }

    @Test
    void aBroadcastReachesEveryOpenSessionOrTheFilteredOnes() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        List<JdkClient> clients = new ArrayList<>();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .build().start()) {
            for (int i = 0; i < 50; i++) {
                clients.add(JdkClient.connect(server.port(), "/?n=" + i, List.of()));
            }
            for (int i = 0; i < 50; i++) {
                RecordingHandler.await(handler.opened);
            }
            assertEquals(50, server.broadcast("seat 12 taken").get(20, TimeUnit.SECONDS));
            for (JdkClient client : clients) {
                assertEquals("seat 12 taken", client.nextText());
            }
            int odd = server.broadcast("odd only", s -> Integer.parseInt(s.request().query().substring(2)) % 2 == 1)
                    .get(20, TimeUnit.SECONDS);
            assertEquals(25, odd);
            byte[] data = {1, 2, 3};
            assertEquals(50, server.broadcastBinary(ByteBuffer.wrap(data), null).get(20, TimeUnit.SECONDS));
            for (int i = 0; i < 50; i++) {
                if (i % 2 == 1) {
                    assertEquals("odd only", clients.get(i).nextText());
                }
                assertEquals(3, clients.get(i).nextBinary().length);
            }
        } finally {
            clients.forEach(JdkClient::close);
        }
    }

    @Test
    void shutdownSendsGoingAwayAfterEverythingAlreadySent() throws Exception {
        // Messages accepted by send() before close() are delivered before the 1001 Close.
        RecordingHandler handler = new RecordingHandler();
        WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .build().start();
        List<JdkClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(JdkClient.connect(server.port()));
        }
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sessions.add(RecordingHandler.await(handler.opened));
        }
        for (Session session : sessions) {
            for (int i = 0; i < 100; i++) {
                assertEquals(SendResult.ACCEPTED, session.sendText("last words " + i));
            }
        }
        server.close();
        assertFalse(server.isRunning());
        for (JdkClient client : clients) {
            for (int i = 0; i < 100; i++) {
                assertEquals("last words " + i, client.nextText());
            }
            assertEquals(CloseCode.GOING_AWAY.value(), client.awaitClose().code());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(CloseCode.GOING_AWAY, RecordingHandler.await(handler.closed).code());
        }
        assertEquals(SendResult.CLOSED, sessions.get(0).sendText("too late"));
    }

    @Test
    @SuppressWarnings("try") // the raw client is held open only to be a reader that never reads
    void aClientThatDoesNotReadIsClosedAsASlowConsumer() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .writeQueueLimits(64 * 1024, 256 * 1024, 1024 * 1024).closeTimeout(java.time.Duration.ofMillis(300))
                .build().start(); RawClient client = RawClient.open(server.port());
                JdkClient bystander = JdkClient.connect(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            RecordingHandler.await(handler.opened); // the bystander's
            byte[] chunk = new byte[64 * 1024];
            // Keep producing until the server gives up on the client, which reads nothing. Sends over the hard limit
            // are refused, so the producer cannot make the server's memory grow without bound.
            long accepted = 0;
            long refused = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (session.isOpen() && System.nanoTime() < until) {
                SendResult result = session.sendBinary(chunk);
                if (result.isAccepted()) {
                    accepted++;
                } else if (result == SendResult.CLOSED) {
                    break; // closed as a slow consumer since isOpen() said it was open
                } else {
                    refused++; // OVER_LIMIT: refused while open, for the limit
                }
                // At most the limit, plus the one send accepted just under it, plus the 1008 Close. Read from this
                // thread the figure may also count sends twice while the reactor takes them over (never less), so
                // allow a few chunks: without the limit it grows by the whole loop, hundreds of chunks.
                long queued = session.queuedBytes();
                assertTrue(queued <= 1024 * 1024 + 4 * (chunk.length + 14) + 127, "bounded: " + queued);
            }
            // Our 1008 Close sits behind the unread data, so no Close comes back: §7.1.5 makes that a 1006.
            assertEquals(CloseCode.ABNORMAL_CLOSURE, RecordingHandler.await(handler.closed).code());
            assertTrue(refused > 0, "sends over the limit are refused");
            assertTrue(accepted * chunk.length > 1024 * 1024, "the limit was reached: " + accepted);
            assertEquals(SendResult.CLOSED, session.sendBinary(chunk), "a closed session accepts nothing");
            // Counted when the 1008 was queued, in a loop iteration that ended (publishing it) before the close
            // timer gave up on the client and the handler heard the 1006: no wait is needed.
            assertEquals(1, server.stats().slowConsumersClosed());
            bystander.send("other clients are still served");
            assertEquals("other clients are still served", bystander.nextText());
        }
    }

    @Test
    void aClientThatSendsWithoutReadingIsThrottledAndLosesNothing() throws Exception {
        // Backpressure: above the high-water mark the server stops reading, so its queue stays bounded; once the
        // client reads again every echo arrives, in order.
        long high = 256 * 1024;
        int frame = 16 * 1024;
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .writeQueueLimits(64 * 1024, high, 64L * 1024 * 1024).build().start();
                RawClient client = RawClient.open(server.port())) {
            int messages = 2000; // 32 MiB in all
            Thread writer = new Thread(() -> {
                try {
                    byte[] payload = new byte[frame];
                    for (int i = 0; i < messages; i++) {
                        payload[0] = (byte) i;
                        client.writeFrame(dev.wsreactor.protocol.Opcode.BINARY, true, payload);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            for (int i = 0; i < messages; i++) {
                RawClient.Frame echo = client.readFrame();
                assertEquals(frame, echo.payload().length);
                assertEquals((byte) i, echo.payload()[0], "echo " + i + " in order");
            }
            writer.join();
            // One read event may add up to four 64 KiB reads' worth of echoes before the pause takes effect.
            assertTrue(handler.maxQueuedOnBinary <= high + 4 * 64 * 1024 + frame,
                    "queued at most " + handler.maxQueuedOnBinary);
        }
    }
}
