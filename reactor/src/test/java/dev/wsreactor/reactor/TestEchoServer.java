package dev.wsreactor.reactor;

import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * An echo server for the library's own tests, in process ({@link #builder}) or in a child JVM under a lowered file
 * limit ({@link ChildServer}, through {@link #main}): every message back as it came, and its counters on
 * {@code GET /stats}. The echo server program lives in the server module, which depends on this one.
 */
final class TestEchoServer {

    /** As the echo server program's: room for the conformance suites' 16 MiB messages and a bomb's 64 MiB. */
    static final long MAX_MESSAGE_SIZE = 64L * 1024 * 1024;

    /** The limits the child-process tests set, each flag with the builder setting it changes. */
    private static final Map<String, BiConsumer<WebSocketServer.Builder, String>> FLAGS = Map.of(
            "--port", (b, v) -> b.bind("127.0.0.1", Integer.parseInt(v)),
            "--max-handshaking", (b, v) -> b.maxHandshaking(Integer.parseInt(v)),
            "--handshake-timeout", (b, v) -> b.handshakeTimeout(seconds(v)),
            "--close-timeout", (b, v) -> b.closeTimeout(seconds(v)),
            "--slow-consumer-timeout", (b, v) -> b.slowConsumerTimeout(seconds(v)),
            "--max-queued-bytes-total", (b, v) -> b.maxQueuedBytesTotal(Long.parseLong(v)));

    private TestEchoServer() {
    }

    /** An echo server on 127.0.0.1 at this port (0: a free one), not started. */
    static WebSocketServer.Builder builder(int port) {
        return WebSocketServer.builder().bind("127.0.0.1", port).maxMessageSize(MAX_MESSAGE_SIZE)
                .handler(new WebSocketHandler() {
                    @Override
                    public void onText(Session session, String text) {
                        session.sendText(text);
                    }

                    @Override
                    public void onBinary(Session session, ByteBuffer data) {
                        session.sendBinary(data);
                    }
                });
    }

    /** Flags: those of {@link #FLAGS}, each with its value. Prints the line {@link ChildServer} waits for. */
    public static void main(String[] args) {
        WebSocketServer.Builder builder = builder(0);
        for (int i = 0; i + 1 < args.length; i += 2) {
            BiConsumer<WebSocketServer.Builder, String> flag = FLAGS.get(args[i]);
            if (flag == null) {
                throw new IllegalArgumentException("no such flag in the tests' echo server: " + args[i]);
            }
            flag.accept(builder, args[i + 1]);
        }
        AtomicReference<WebSocketServer> started = new AtomicReference<>();
        builder.httpHandler(request -> started.get() != null ? statsPage(started.get().stats())
                : HttpResponse.text(HttpStatus.SERVICE_UNAVAILABLE, "starting"));
        WebSocketServer server = builder.build().start();
        started.set(server);
        System.out.println("listening on ws://127.0.0.1:" + server.port() + "/");
    }

    /** One counter per line, its MXBean name and its figure. */
    private static HttpResponse statsPage(ServerStats stats) {
        StringBuilder page = new StringBuilder();
        for (Counter counter : Counter.values()) {
            page.append(counter.attributeName()).append(' ').append(stats.get(counter)).append('\n');
        }
        return HttpResponse.text(HttpStatus.OK, page.toString());
    }

    private static Duration seconds(String value) {
        return Duration.ofNanos(Math.round(Double.parseDouble(value) * 1e9));
    }
}
