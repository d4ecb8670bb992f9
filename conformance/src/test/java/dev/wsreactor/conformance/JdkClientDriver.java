package dev.wsreactor.conformance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own {@code java.net.http.WebSocket} (a client nobody here wrote) driven as Autobahn's client drivers
 * drive a client: the case count, every case echoing what arrives, then the reports.
 */
final class JdkClientDriver {

    private JdkClientDriver() {
    }

    static void run(URI base, String agent, int cases) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 1; i <= cases; i++) {
            Echo echo = new Echo();
            try {
                http.newWebSocketBuilder().buildAsync(base.resolve("/runCase?case=" + i + "&agent=" + agent), echo)
                        .get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException refused) {
                continue;
            }
            echo.closed.get(60, TimeUnit.SECONDS);
        }
        Echo reports = new Echo();
        http.newWebSocketBuilder().buildAsync(base.resolve("/updateReports?agent=" + agent), reports)
                .get(10, TimeUnit.SECONDS);
        reports.closed.get(10, TimeUnit.SECONDS);
    }

    /** Assembles each message and sends it back, one send at a time as the JDK's WebSocket requires. */
    private static final class Echo implements WebSocket.Listener {
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);
        private CompletableFuture<WebSocket> sending;

        @Override
        public void onOpen(WebSocket socket) {
            sending = CompletableFuture.completedFuture(socket);
            socket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                sending = sending.thenCompose(s -> s.sendText(message, true));
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            ByteBuffer grown = ByteBuffer.allocate(binary.remaining() + data.remaining());
            binary = grown.put(binary).put(data).flip();
            if (last) {
                ByteBuffer message = binary;
                binary = ByteBuffer.allocate(0);
                sending = sending.thenCompose(s -> s.sendBinary(message, true));
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(null);
            return null; // the JDK answers the Close with the same code
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.complete(null);
        }
    }
}
