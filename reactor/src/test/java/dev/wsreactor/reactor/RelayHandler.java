package dev.wsreactor.reactor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A handler whose sessions talk to each other across reactors. Each client names itself in its query
 * ({@code /?name=alice}). A text {@code to:bob:hi} is relayed to bob's session as {@code from:alice:hi} (from the
 * handler, so from alice's reactor thread to bob's, wherever bob lives); {@code shout:hi} is broadcast to every
 * session from the handler as {@code alice:hi}; anything else is echoed. It remembers which thread opened each
 * session, so a test can tell which reactor serves it.
 */
final class RelayHandler extends RecordingHandler {

    final Map<String, Session> byName = new ConcurrentHashMap<>();
    final Map<Long, Thread> openedOn = new ConcurrentHashMap<>();
    volatile WebSocketServer server;

    static String name(Session session) {
        String query = session.request().query();
        return query == null || !query.startsWith("name=") ? "" : query.substring("name=".length());
    }

    @Override
    public void onOpen(Session session) {
        byName.put(name(session), session);
        openedOn.put(session.id(), Thread.currentThread());
        super.onOpen(session);
    }

    @Override
    public void onText(Session session, String text) {
        if (text.startsWith("to:")) {
            int colon = text.indexOf(':', 3);
            Session target = byName.get(text.substring(3, colon));
            if (target == null
                    || !target.sendText("from:" + name(session) + ":" + text.substring(colon + 1)).isAccepted()) {
                session.sendText("undeliverable: " + text);
            }
        } else if (text.startsWith("shout:")) {
            server.broadcast(name(session) + ":" + text.substring("shout:".length()));
        } else {
            super.onText(session, text);
        }
    }
}
