package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When the loop itself cannot go on (its selector is broken), the reactor thread closes every connection and ends
 * with that failure as its uncaught exception (what a program does then is its own choice: the echo server's
 * exits non-zero saying why, as its tests in the server module check).
 */
class ReactorFailureTest {

    @Test
    void aBrokenSelectorEndsTheThreadWithTheFailureAfterClosingEveryConnection() throws Exception {
        ServerSettings settings = new ServerSettings(WebSocketServer.builder().bind("127.0.0.1", 0)
                .handler(new RecordingHandler()));
        ServerSocketChannel listening = ListeningSockets.bind(settings.address, 16, 1, false).channels.get(0);
        Reactor[] self = new Reactor[1];
        Reactor reactor = new Reactor(settings, 0, 1, listening, socket -> self[0].take(socket));
        self[0] = reactor;
        int port = ((InetSocketAddress) listening.getLocalAddress()).getPort();
        CompletableFuture<Throwable> died = new CompletableFuture<>();
        Thread thread = new Thread(reactor, "wsreactor-under-test");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, error) -> died.complete(error));
        reactor.bindThread(thread);
        thread.start();
        try (RawClient client = RawClient.open(port)) {
            // Closing the selector under the loop is the one failure no iteration can survive.
            Field field = EventLoop.class.getDeclaredField("selector");
            field.setAccessible(true);
            Selector selector = (Selector) field.get(reactor);
            selector.close();
            Throwable error = died.get(20, TimeUnit.SECONDS);
            assertInstanceOf(ClosedSelectorException.class, error.getCause(), "the loop's failure, as it was");
            assertTrue(client.serverClosedTcp(), "its connections were closed");
            assertTrue(reactor.isTerminated());
        }
    }
}
