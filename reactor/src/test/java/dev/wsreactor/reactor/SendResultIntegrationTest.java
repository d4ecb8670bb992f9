package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.DeflateConfig;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a send says became of it: the futures of {@code sendTextAsync}/{@code sendBinaryAsync} complete when the
 * bytes are on the socket and not before, on the reactor thread, or fail with the close code when the session
 * closes first (peer gone, server shutdown, slow consumer); {@code onWritable} fires once per crossing of the
 * water marks; a producer that waits for it is never refused; and the plain sends allocate nothing on the loop.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SendResultIntegrationTest {

    private static final int MESSAGE = 64 * 1024;

    /** Records the handler's thread and counts onWritable calls. */
    static final class WritableHandler extends RecordingHandler {
        final AtomicInteger writable = new AtomicInteger();
        final Semaphore signal = new Semaphore(0);
        volatile Thread reactorThread;

        @Override
        public void onOpen(Session session) {
            reactorThread = Thread.currentThread();
            super.onOpen(session);
        }

        @Override
        public void onWritable(Session session) {
            writable.incrementAndGet();
            signal.release();
        }
    }

    private static WebSocketServer.Builder server(RecordingHandler handler) {
        return WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true);
    }

    private static void readPayloads(RawClient client, long total) throws Exception {
        long read = 0;
        while (read < total) {
            read += client.readFrame().payload().length;
        }
    }

    @Test
    void aFutureCompletesOnlyOnceItsBytesAreWrittenAndOnTheReactorThread() throws Exception {
        WritableHandler handler = new WritableHandler();
        try (WebSocketServer server = server(handler).build().start(); RawClient client = RawClient.open(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            // Larger than any socket buffer on loopback: most of it must wait for the client to read.
            int size = 32 << 20;
            AtomicReference<Thread> completedOn = new AtomicReference<>();
            CompletableFuture<Void> big = session.sendBinaryAsync(ByteBuffer.allocate(size));
            CompletableFuture<Void> after = session.sendTextAsync("after");
            big.whenComplete((ok, error) -> completedOn.set(Thread.currentThread()));
            // Checked once part of it is on the socket: right after the call it has not even reached the reactor.
            Eventually.until(() -> session.queuedBytes() < size, "the reactor has started writing it");
            assertFalse(big.isDone(), "not written while the client reads nothing");
            assertFalse(after.isDone());
            assertEquals(size, client.readFrame().payload().length);
            big.get(20, TimeUnit.SECONDS);
            assertEquals("after", new String(client.readFrame().payload()));
            after.get(20, TimeUnit.SECONDS);
            assertEquals(handler.reactorThread, completedOn.get(), "completed on the reactor thread");
        }
    }

    @Test
    void aFutureFailsWithTheCloseCodeWhenThePeerGoesFirst() throws Exception {
        WritableHandler handler = new WritableHandler();
        try (WebSocketServer server = server(handler).build().start()) {
            RawClient client = RawClient.open(server.port());
            Session session = RecordingHandler.await(handler.opened);
            CompletableFuture<Void> stuck = session.sendBinaryAsync(ByteBuffer.allocate(32 << 20));
            Eventually.until(() -> session.queuedBytes() > 0, "queued");
            client.close();
            SessionClosedException closed = failure(stuck);
            assertEquals(CloseCode.ABNORMAL_CLOSURE, closed.closeCode());
            assertEquals(closed.closeCode(), RecordingHandler.await(handler.closed).code());
            SessionClosedException late = failure(session.sendTextAsync("too late"));
            assertEquals(CloseCode.ABNORMAL_CLOSURE, late.closeCode(), "refused at once, with the code");
            assertEquals(SendResult.CLOSED, session.sendText("too late"));
        }
    }

    @Test
    @SuppressWarnings("try") // the client is held open only for the session it makes
    void everyPendingFutureFailsAtShutdown() throws Exception {
        WritableHandler handler = new WritableHandler();
        WebSocketServer server = server(handler).shutdownGrace(Duration.ofMillis(500))
                .closeTimeout(Duration.ofMillis(500)).build().start();
        try (RawClient client = RawClient.open(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(session.sendBinaryAsync(ByteBuffer.allocate(8 << 20)));
            }
            Eventually.until(() -> session.queuedBytes() > 8 << 20, "queued");
            server.close();
            CloseCode code = RecordingHandler.await(handler.closed).code();
            for (CompletableFuture<Void> future : futures) {
                assertTrue(future.isDone(), "done by the time the handler heard the close");
            }
            assertEquals(code, failure(futures.get(futures.size() - 1)).closeCode());
        } finally {
            server.close();
        }
    }

    @Test
    @SuppressWarnings("try") // the client is held open only for the session it makes
    void aSlowConsumersDroppedMessagesFailWith1008() throws Exception {
        WritableHandler handler = new WritableHandler();
        try (WebSocketServer server = server(handler).writeQueueLimits(64 * 1024, 256 * 1024, 1 << 20)
                .closeTimeout(Duration.ofMillis(500)).build().start(); RawClient client = RawClient.open(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            // On the reactor thread nothing is refused: the queue passes the hard limit and the server gives up.
            assertTrue(session.execute(() -> {
                for (int i = 0; i < 256; i++) { // 16 MiB: more than the socket buffers take
                    futures.add(session.sendBinaryAsync(ByteBuffer.allocate(MESSAGE)));
                }
            }));
            RecordingHandler.await(handler.closed);
            assertEquals(256, futures.size());
            int dropped = 0;
            for (CompletableFuture<Void> future : futures) {
                assertTrue(future.isDone());
                if (future.isCompletedExceptionally()) {
                    dropped += failure(future).closeCode().equals(CloseCode.POLICY_VIOLATION) ? 1 : 0;
                }
            }
            assertTrue(dropped > 128, "most never left: " + dropped);
            assertEquals(1, server.stats().slowConsumersClosed());
        }
    }

    @Test
    void onWritableFiresOncePerCrossingOfTheWaterMarks() throws Exception {
        WritableHandler handler = new WritableHandler();
        try (WebSocketServer server = server(handler).writeQueueLimits(64 * 1024, 256 * 1024, 64 << 20)
                .build().start(); RawClient client = RawClient.open(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            assertTrue(session.isWritable());
            for (int crossing = 1; crossing <= 2; crossing++) {
                int count = 128; // 8 MiB: over the high-water mark whatever the socket buffers take
                assertTrue(session.execute(() -> {
                    for (int i = 0; i < count; i++) {
                        session.sendBinary(ByteBuffer.allocate(MESSAGE));
                    }
                }));
                Eventually.until(() -> !session.isWritable(), "over the high-water mark");
                assertEquals(crossing - 1, handler.writable.get(), "not before it drained");
                readPayloads(client, (long) count * MESSAGE);
                assertTrue(handler.signal.tryAcquire(20, TimeUnit.SECONDS), "onWritable");
                assertTrue(session.isWritable());
                assertEquals(crossing, handler.writable.get(), "once per crossing");
            }
            assertEquals(2, handler.writable.get());
        }
    }

    @Test
    void aProducerThatWaitsForOnWritableIsNeverRefused() throws Exception {
        WritableHandler handler = new WritableHandler();
        handler.echo = false;
        try (WebSocketServer server = server(handler).writeQueueLimits(16 * 1024, 64 * 1024, 128 * 1024)
                .build().start(); JdkClient client = JdkClient.connect(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            int messages = 20_000;
            String padding = "x".repeat(1000);
            int refused = 0;
            for (int i = 0; i < messages; i++) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!session.isWritable()) {
                    assertTrue(System.nanoTime() < deadline, "onWritable within 20 s");
                    handler.signal.tryAcquire(10, TimeUnit.MILLISECONDS);
                }
                refused += session.sendText(i + ":" + padding).isAccepted() ? 0 : 1;
            }
            assertEquals(0, refused, "refused sends");
            for (int i = 0; i < messages; i++) {
                assertEquals(i + ":" + padding, client.nextText());
            }
            assertTrue(session.isOpen());
            assertTrue(handler.writable.get() > 0, "the producer did have to wait: " + handler.writable.get());
        }
    }

    @Test
    void theClientsSessionReportsWritesToo() throws Exception {
        RecordingHandler serverSide = new RecordingHandler();
        serverSide.echo = false;
        try (WebSocketServer server = server(serverSide).build().start();
                WebSocketClient client = WebSocketClient.builder().build()) {
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    new WebSocketHandler() { }).get(20, TimeUnit.SECONDS);
            session.sendTextAsync("from the client").get(20, TimeUnit.SECONDS);
            assertEquals(SendResult.ACCEPTED, session.sendText("second"));
            RecordingHandler.await(serverSide.opened);
            assertInstanceOf(RecordingHandler.Opened.class, RecordingHandler.await(serverSide.events));
            assertEquals("from the client", RecordingHandler.await(serverSide.events));
            assertEquals("second", RecordingHandler.await(serverSide.events));
            session.close();
            RecordingHandler.await(serverSide.closed);
            assertEquals(SendResult.CLOSED, session.sendText("after"));
        }
    }

    @Test
    void plainSendsOnTheReactorThreadAllocateNothing() throws Exception {
        WritableHandler handler = new WritableHandler();
        handler.echo = false;
        try (WebSocketServer server = server(handler).compression(DeflateConfig.disabled())
                .build().start(); JdkClient client = JdkClient.connect(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            // Without the counter every reading is -1 and their difference 0: the test would pass unmeasured.
            assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                    "this JVM counts a thread's allocated bytes");
            String message = "a message of forty characters, no more.";
            ByteBuffer binary = ByteBuffer.allocateDirect(40);
            long[] allocated = new long[1];
            for (int round = 0; round < 20; round++) { // the first rounds warm the path up (classes, JIT, pool)
                CompletableFuture<Void> done = new CompletableFuture<>();
                assertTrue(session.execute(() -> {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 100; i++) {
                        session.sendText(message);
                        binary.clear();
                        session.sendBinary(binary);
                    }
                    allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
                    done.complete(null);
                }));
                done.get(20, TimeUnit.SECONDS);
                for (int i = 0; i < 200; i++) {
                    client.next();
                }
            }
            assertEquals(0, allocated[0], "bytes allocated by 200 sends on the reactor thread");
        }
    }

    private static SessionClosedException failure(CompletableFuture<Void> future) throws Exception {
        try {
            future.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            return assertInstanceOf(SessionClosedException.class, failed.getCause());
        }
        throw new AssertionError("the future completed normally");
    }
}
