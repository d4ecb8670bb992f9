package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Opcode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handler calls on the application's executor: per session one at a time and in wire order while many sessions
 * run at once on a pool; a handler that blocks holds up its own session only, whose connection the server then
 * stops reading (its waiting calls are bounded) and reads again once it goes on; buffers handed over are copies.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HandlerExecutorIntegrationTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** Echoes, checking that no two calls of one session overlap and that none runs on a reactor thread. */
    static final class CheckingEcho implements WebSocketHandler {
        final Map<Long, AtomicBoolean> inCall = new ConcurrentHashMap<>();
        final LinkedBlockingQueue<String> problems = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<Session> opened = new LinkedBlockingQueue<>();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public void onOpen(Session session) {
            opened.add(session);
        }

        @Override
        public void onText(Session session, String text) {
            enter(session);
            try {
                if (text.equals("block")) {
                    gate.await(30, TimeUnit.SECONDS); // a blocking call: fine on the executor
                }
                session.sendText(text);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inCall.get(session.id()).set(false);
            }
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            enter(session);
            session.sendBinary(data);
            inCall.get(session.id()).set(false);
        }

        private void enter(Session session) {
            if (!inCall.computeIfAbsent(session.id(), id -> new AtomicBoolean()).compareAndSet(false, true)) {
                problems.add("two calls of session " + session.id() + " at once");
            }
            if (Thread.currentThread().getName().contains("reactor")) {
                problems.add("called on " + Thread.currentThread().getName());
            }
        }
    }

    private WebSocketServer.Builder server(WebSocketHandler handler) {
        return WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true).handlerExecutor(pool);
    }

    @Test
    void eachSessionsCallsStayInWireOrderOneAtATime() throws Exception {
        CheckingEcho handler = new CheckingEcho();
        int clients = 6;
        int messages = 2000;
        try (WebSocketServer server = server(handler).build().start()) {
            List<JdkClient> connected = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                connected.add(JdkClient.connect(server.port()));
            }
            for (int i = 0; i < messages; i++) {
                for (JdkClient client : connected) {
                    client.socket.sendText(Integer.toString(i), true).get(20, TimeUnit.SECONDS);
                }
            }
            for (JdkClient client : connected) {
                for (int i = 0; i < messages; i++) {
                    assertEquals(Integer.toString(i), client.nextText());
                }
                client.close();
            }
            assertEquals(List.of(), List.copyOf(handler.problems));
        }
    }

    @Test
    void aBlockedHandlerHoldsUpItsOwnSessionOnlyAndItsInputStaysBounded() throws Exception {
        CheckingEcho handler = new CheckingEcho();
        handler.gate = new CountDownLatch(1);
        try (WebSocketServer server = server(handler).writeQueueLimits(64 * 1024, 256 * 1024, 64 << 20).build()
                .start(); RawClient blocked = RawClient.open(server.port()); JdkClient other = JdkClient.connect(
                        server.port())) {
            blocked.writeFrame(Opcode.TEXT, true, "block".getBytes());
            other.send("still served");
            assertEquals("still served", other.nextText(), "another session's calls go on");
            byte[] payload = new byte[16 * 1024];
            int count = 2000; // 32 MiB: more than the socket buffers hold, were the server to read on
            AtomicInteger written = new AtomicInteger();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        payload[0] = (byte) i;
                        blocked.writeFrame(Opcode.BINARY, true, payload);
                        written.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            Eventually.until(() -> server.stats().messagesReceived() > 12, "the server read up to the mark");
            long watchUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < watchUntil) { // watched for a second: it must not read on
                long received = server.stats().messagesReceived();
                assertTrue(received < 80, "calls waiting for the blocked handler are bounded: " + received);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a sample a millisecond, not a spinning core
            }
            assertTrue(written.get() < count, "the client could not send it all");
            handler.gate.countDown();
            assertEquals("block", new String(blocked.readFrame().payload()));
            for (int i = 0; i < count; i++) {
                RawClient.Frame echo = blocked.readFrame();
                assertEquals(16 * 1024, echo.payload().length);
                assertEquals((byte) i, echo.payload()[0], "in order, each its own copy");
            }
            writer.join(20_000);
            assertFalse(writer.isAlive());
            assertEquals(List.of(), List.copyOf(handler.problems));
        }
    }

    @Test
    void aStreamingHandlerGetsItsPartsOnTheExecutorAsCopiesInOrder() throws Exception {
        StreamingIntegrationTest.PartsHandler handler = new StreamingIntegrationTest.PartsHandler();
        byte[] message = new byte[3 << 20];
        new Random(9).nextBytes(message);
        try (WebSocketServer server = server(handler).maxMessageSize(4 << 20).build().start();
                JdkClient client = JdkClient.connect(server.port())) {
            client.socket.sendBinary(ByteBuffer.wrap(message), true).get(20, TimeUnit.SECONDS);
            assertArrayEquals(message, RecordingHandler.await(handler.messages));
            assertTrue(handler.partSizes.size() > 1, "in parts");
        }
    }

    @Test
    void aThrowingOffloadedHandlerClosesItsSessionWith1011() throws Exception {
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public void onText(Session session, String text) {
                throw new IllegalStateException("on purpose");
            }

            @Override
            public void onError(Session session, Throwable error) {
                events.add(error.getMessage());
            }

            @Override
            public void onClose(Session session, CloseCode code, String reason) {
                events.add(code);
            }
        };
        try (WebSocketServer server = server(handler).build().start(); JdkClient client = JdkClient.connect(
                server.port())) {
            client.send("boom");
            assertEquals(1011, client.awaitClose().code());
            assertEquals("on purpose", RecordingHandler.await(events));
            assertEquals(CloseCode.INTERNAL_ERROR, RecordingHandler.await(events));
        }
    }

    @Test
    void theClientsHandlerCallsRunOnItsExecutorToo() throws Exception {
        RecordingHandler echo = new RecordingHandler();
        LinkedBlockingQueue<String> threads = new LinkedBlockingQueue<>();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(echo).daemon(true)
                .build().start(); WebSocketClient client = WebSocketClient.builder().handlerExecutor(pool).build()) {
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    new WebSocketHandler() {
                        @Override
                        public void onBinary(Session s, ByteBuffer data) {
                            byte[] bytes = new byte[data.remaining()];
                            data.get(bytes);
                            threads.add(Thread.currentThread().getName() + ":" + bytes.length);
                        }
                    }).get(20, TimeUnit.SECONDS);
            session.sendBinary(new byte[300]);
            String call = RecordingHandler.await(threads);
            assertTrue(call.startsWith("pool-"), call);
            assertTrue(call.endsWith(":300"), call);
        }
    }
}
