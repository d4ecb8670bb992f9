package dev.wsreactor.reactor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client nobody here wrote: the JDK's {@code java.net.http.WebSocket}, with what it receives collected into a
 * queue the test waits on (with a timeout, never a sleep).
 */
final class JdkClient implements WebSocket.Listener, AutoCloseable {

    /** What arrived: a whole text or binary message, a Pong, or the close. */
    sealed interface Event permits Text, Binary, Pong, Closed, Failed {
    }

    record Text(String text) implements Event {
    }

    record Binary(byte[] data) implements Event {
    }

    record Pong(byte[] data) implements Event {
    }

    record Closed(int code, String reason) implements Event {
    }

    record Failed(Throwable error) implements Event {
    }

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    WebSocket socket;

    static JdkClient connect(int port) {
        return connect(port, "/", List.of());
    }

    static JdkClient connect(int port, String path, List<String> subprotocols) {
        return connect(HTTP, URI.create("ws://127.0.0.1:" + port + path), subprotocols);
    }

    /** An HTTP client for {@code wss://} that trusts what {@code context} trusts (and verifies host names). */
    static HttpClient httpClient(javax.net.ssl.SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).connectTimeout(TIMEOUT).build();
    }

    /** Over TLS to 127.0.0.1, with an HTTP client from {@link #httpClient}. */
    static JdkClient connectTls(HttpClient http, int port) {
        return connect(http, URI.create("wss://127.0.0.1:" + port + "/"), List.of());
    }

    /** Starts connecting without waiting: the future fails if the handshake (TLS or WebSocket) does. */
    static CompletableFuture<JdkClient> connectAsync(HttpClient http, URI uri) {
        JdkClient client = new JdkClient();
        return http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(uri, client)
                .thenApply(socket -> {
                    client.socket = socket;
                    return client;
                });
    }

    static JdkClient connect(HttpClient http, URI uri, List<String> subprotocols) {
        JdkClient client = new JdkClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        client.socket = builder.buildAsync(uri, client)
                .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        return client;
    }

    /** The next event, or a failure after the timeout. */
    Event next() throws InterruptedException {
        Event event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event from the server within " + TIMEOUT);
        }
        return event;
    }

    String nextText() throws InterruptedException {
        Event event = next();
        if (event instanceof Text t) {
            return t.text();
        }
        throw new AssertionError("expected a text message, got " + event);
    }

    byte[] nextBinary() throws InterruptedException {
        Event event = next();
        if (event instanceof Binary b) {
            return b.data();
        }
        throw new AssertionError("expected a binary message, got " + event);
    }

    Closed awaitClose() {
        return closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    void send(String message) {
        socket.sendText(message, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            events.add(new Text(text.toString()));
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            events.add(new Binary(binary.toByteArray()));
            binary = new java.io.ByteArrayOutputStream();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        byte[] data = new byte[message.remaining()];
        message.get(data);
        events.add(new Pong(data));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        Closed event = new Closed(statusCode, reason);
        events.add(event);
        closed.complete(event);
        return null; // the JDK then replies with the same code
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new Failed(error));
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
