package dev.wsreactor.redis;

import static dev.wsreactor.redis.RedisBusTest.awaitSubscribers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.reactor.Session;
import dev.wsreactor.reactor.WebSocketHandler;
import dev.wsreactor.reactor.WebSocketServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two nodes, each a WebSocketServer with a RedisBus: what node A publishes, node B's clients receive. */
class RedisWebSocketTest {

    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.startOrSkip();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aMessagePublishedOnNodeAIsBroadcastByNodeBOnAReactorThread() throws Exception {
        CountDownLatch joined = new CountDownLatch(1);
        WebSocketHandler counting = new WebSocketHandler() {
            @Override
            public void onOpen(Session session) {
                joined.countDown();
            }
        };
        try (WebSocketServer serverA = WebSocketServer.builder().bind("127.0.0.1", 0).handler(counting).build();
                WebSocketServer serverB = WebSocketServer.builder().bind("127.0.0.1", 0).handler(counting).build();
                RedisBus busA = RedisBusTest.bus(redis, "a");
                RedisBus busB = RedisBusTest.bus(redis, "b")) {
            serverA.start();
            serverB.start();
            BlockingQueue<String> listenerThreads = new LinkedBlockingQueue<>();
            relay(busA, serverA, listenerThreads);
            relay(busB, serverB, listenerThreads);
            awaitSubscribers(redis, "chat", 2);
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + serverB.port() + "/"), collector(received))
                    .get(10, TimeUnit.SECONDS);
            assertTrue(joined.await(10, TimeUnit.SECONDS));

            busA.publish("chat", "hello from node A").get(5, TimeUnit.SECONDS);

            assertEquals("hello from node A", received.poll(10, TimeUnit.SECONDS));
            String reactorB = "wsreactor-" + serverB.port();
            String reactorA = "wsreactor-" + serverA.port();
            String first = listenerThreads.poll(5, TimeUnit.SECONDS);
            String second = listenerThreads.poll(5, TimeUnit.SECONDS);
            assertEquals(Set.of(reactorA, reactorB), Set.of(first, second),
                    "each node's listener ran on its own reactor thread: " + first + ", " + second);
            client.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        }
    }

    /** The node's bus to its server's clients, on the server's reactor through its task queue. */
    private static void relay(RedisBus bus, WebSocketServer server, BlockingQueue<String> listenerThreads) {
        bus.subscribe("chat", server::execute, (topic, message) -> {
            listenerThreads.add(Thread.currentThread().getName());
            server.broadcast(StandardCharsets.UTF_8.decode(message).toString());
        });
    }

    private static WebSocket.Listener collector(BlockingQueue<String> received) {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                socket.request(1);
                return null;
            }
        };
    }
}
