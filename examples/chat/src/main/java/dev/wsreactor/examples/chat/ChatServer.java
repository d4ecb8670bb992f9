package dev.wsreactor.examples.chat;

import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpStatus;
import dev.wsreactor.reactor.WebSocketServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Chat rooms: {@code ws://host:port/chat/ROOM?token=T} (or the token in a {@code chat_token} cookie). The token is
 * checked against the {@link TokenStore} before the 101, asynchronously; the user it names is the session's
 * {@link #USER} attribute, and what a user sends goes to everyone in the room.
 *
 * {@code ws://host:port/upload/ROOM/NAME?token=T} shares a file into a room as it is uploaded ({@link RoomUploads}).
 *
 * <pre>
 * java dev.wsreactor.examples.chat.ChatServer [--port 8090]
 * </pre>
 */
public final class ChatServer {

    /** The session attribute that holds the user's name, set by the handshake's decision. */
    public static final String USER = "user";

    /** The largest upload (and message): received in parts, it is never held whole. */
    public static final long MAX_UPLOAD = 256L * 1024 * 1024;

    /** The cookie a browser page may carry its token in. */
    public static final String TOKEN_COOKIE = "chat_token";

    private ChatServer() {
    }

    /**
     * The chat server's settings, for a port and a store; not yet built.
     *
     * @param port the port to listen on (0: any free one)
     * @param store where tokens are looked up
     * @return the builder, to change more settings or build
     */
    public static WebSocketServer.Builder builder(int port, TokenStore store) {
        ChatRooms rooms = new ChatRooms();
        return WebSocketServer.builder()
                .bind("127.0.0.1", port)
                .route("/chat/{room}", rooms, request -> admit(request, store))
                .route("/upload/{room}/{name}", new RoomUploads(rooms), request -> admit(request, store))
                .maxMessageSize(MAX_UPLOAD)
                .handshakeTimeout(Duration.ofSeconds(5));
    }

    /** 401 without a token, 403 for one the store does not know, else accepted as the user it names. */
    static CompletionStage<HandshakeDecision> admit(HttpRequest request, TokenStore store) {
        String token = request.queryParameter("token");
        if (token == null) {
            token = request.cookies().get(TOKEN_COOKIE);
        }
        if (token == null || token.isEmpty()) {
            return CompletableFuture.completedFuture(HandshakeDecision.reject(HttpStatus.UNAUTHORIZED,
                    "a token is required: ?token=... or the " + TOKEN_COOKIE + " cookie"));
        }
        return store.userOf(token).thenApply(user -> user
                .map(name -> HandshakeDecision.accept(Map.of(USER, name)))
                .orElseGet(() -> HandshakeDecision.reject(HttpStatus.FORBIDDEN, "unknown token")));
    }

    /**
     * Runs the chat server with two demo tokens, {@code ada-token} and {@code bob-token}, until the process ends.
     *
     * @param args {@code --port N} (default 8090)
     */
    public static void main(String[] args) {
        int port = args.length == 2 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 8090;
        TokenStore store = new TokenStore(Duration.ofMillis(50)).add("ada-token", "ada").add("bob-token", "bob");
        WebSocketServer server = builder(port, store).build().start();
        System.out.println("chat on ws://127.0.0.1:" + server.port() + "/chat/ROOM?token=ada-token");
    }
}
