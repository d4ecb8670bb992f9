package dev.wsreactor.examples.seats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client on the JDK's own {@code java.net.http.WebSocket}: every message it receives goes into a queue,
 * and {@link #await} takes them off in order (waiting with a timeout, never sleeping), applying each to a local
 * copy of the seat map just as the page does.
 */
final class SeatsClient implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message from the server, parsed; or the close, as type "closed" with code and reason. */
    record Message(Map<String, Object> json) {
        String type() {
            return (String) json.get("type");
        }

        String str(String name) {
            return (String) json.get(name);
        }

        int integer(String name) {
            return ((Number) json.get(name)).intValue();
        }

        boolean is(String type) {
            return type.equals(type());
        }

        boolean isSeat(String type, String seat) {
            return is(type) && seat.equals(str("seat"));
        }
    }

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    /** Seat id to "state/owner", non-free seats only: what this client believes the map is. */
    final Map<String, String> seats = new TreeMap<>();
    final Map<String, Object> snapshot;
    final String id;
    final String token;
    int watchers;
    WebSocket socket;

    private SeatsClient(int port, String query) throws InterruptedException {
        socket = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws" + (query == null ? "" : "?" + query)), this)
                .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        Message first = next();
        assertEquals("snapshot", first.type(), "the first message is the snapshot");
        snapshot = first.json();
        id = first.str("you");
        token = first.str("token");
    }

    static SeatsClient connect(int port) throws InterruptedException {
        return new SeatsClient(port, null);
    }

    static SeatsClient reconnect(int port, String token) throws InterruptedException {
        return new SeatsClient(port, "token=" + token);
    }

    void send(String text) {
        socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    void request(String type, String seat) {
        send("{\"type\":\"" + type + "\",\"seat\":\"" + seat + "\"}");
    }

    /** The next message (applied to the local map), failing after the timeout. */
    Message next() throws InterruptedException {
        Message message = inbox.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("client " + id + ": nothing from the server within " + TIMEOUT);
        }
        apply(message);
        return message;
    }

    /** Takes messages until one matches, and returns it; the ones before it are applied and dropped. */
    Message await(Predicate<Message> match) throws InterruptedException {
        while (true) {
            Message message = next();
            if (match.test(message)) {
                return message;
            }
        }
    }

    /** Whatever has arrived and not been taken yet, without waiting (applied too). */
    java.util.List<Message> drain() {
        java.util.List<Message> out = new java.util.ArrayList<>();
        inbox.drainTo(out);
        out.forEach(this::apply);
        return out;
    }

    private void apply(Message message) {
        switch (message.type()) {
            case "snapshot" -> {
                seats.clear();
                for (Object o : (java.util.List<?>) message.json().get("seats")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> seat = (Map<String, Object>) o;
                    seats.put((String) seat.get("seat"), seat.get("state") + "/" + seat.get("owner"));
                }
                watchers = message.integer("watchers");
            }
            case "seat-changed" -> {
                if ("free".equals(message.str("state"))) {
                    seats.remove(message.str("seat"));
                } else {
                    seats.put(message.str("seat"), message.str("state") + "/" + message.str("owner"));
                }
            }
            case "watchers" -> watchers = message.integer("count");
            default -> {
            }
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> json = JSON.readValue(partial.toString(), Map.class);
                inbox.add(new Message(json));
            } catch (JsonProcessingException e) {
                inbox.add(new Message(Map.of("type", "unparsable", "text", partial.toString())));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        inbox.add(new Message(Map.of("type", "closed", "code", (double) statusCode, "reason", reason)));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        inbox.add(new Message(Map.of("type", "failed", "error", String.valueOf(error))));
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }
}
