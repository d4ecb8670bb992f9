package dev.wsreactor.examples.seats;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who is who: each client has a secret token, which its page keeps and sends when it reconnects, and a public id
 * (shown as seat owner) derived from the token by SHA-256. Deriving it means any node can tell a returning client
 * by its token alone, with nothing shared but the seats; and the id gives the token away to nobody. Reactor thread
 * only.
 */
final class Visitors {

    /** Which tokens a node takes back. */
    enum TokenScope {
        /** Only those it issued and still remembers: a restarted single server starts everyone afresh. */
        ISSUED_HERE,
        /** Any well-formed token, since another node may have issued it: the seats live in the shared store. */
        ANY_NODE
    }

    /** A browser (or any client): its public id and the token that reclaims it. */
    static final class Client {
        final String id;
        final String token;
        int sessions;

        private Client(String token) {
            this.id = idOf(token);
            this.token = token;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{24}");

    private final TokenScope scope;
    /** Clients by token: those connected now and those who still hold or own seats. */
    private final Map<String, Client> clients = new HashMap<>();

    Visitors(TokenScope scope) {
        this.scope = scope;
    }

    /** The client a new session belongs to: the token's, or a new one. */
    Client arrive(String token) {
        Client client = token == null ? null : clients.get(token);
        if (client == null) {
            boolean reclaim = scope == TokenScope.ANY_NODE && token != null && TOKEN.matcher(token).matches();
            client = new Client(reclaim ? token : randomToken());
            clients.put(client.token, client);
        }
        client.sessions++;
        return client;
    }

    void leave(Client client, SeatMap view) {
        client.sessions--;
        forgetIfIdle(client, view);
    }

    /** A client with no session and no seat cannot come back to anything: drop it. */
    void forgetIfIdle(String id, SeatMap view) {
        for (Client client : clients.values()) {
            if (client.id.equals(id)) {
                forgetIfIdle(client, view);
                return;
            }
        }
    }

    private void forgetIfIdle(Client client, SeatMap view) {
        if (client.sessions == 0 && !view.ownsAny(client.id)) {
            clients.remove(client.token);
        }
    }

    /** Eight characters of the token's SHA-256, in URL-safe Base64. */
    static String idOf(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomToken() {
        byte[] raw = new byte[18];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
