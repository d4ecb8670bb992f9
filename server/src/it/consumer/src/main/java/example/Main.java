package example;

import dev.wsreactor.reactor.Session;
import dev.wsreactor.reactor.WebSocketHandler;
import dev.wsreactor.reactor.WebSocketServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Starts a server, has the JDK's WebSocket client send it one message, prints the echo, stops. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onText(Session session, String text) {
                session.sendText(text);
            }
        };
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(echo).build().start()) {
            CompletableFuture<String> reply = new CompletableFuture<>();
            WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            reply.complete(data.toString());
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            client.sendText("hello", true);
            System.out.println("echoed: " + reply.get(10, TimeUnit.SECONDS));
            client.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }
}
