package dev.wsreactor.examples.chat;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.reactor.Session;
import dev.wsreactor.reactor.WebSocketHandler;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The rooms and who is in each: a session joins the room of its path ({@code /chat/{room}}) when it opens, and
 * every message it sends goes to everyone in that room as {@code "user: text"}. The server runs one reactor, so
 * every call here is on one thread and the map needs no lock.
 */
final class ChatRooms implements WebSocketHandler {

    private final Map<String, Set<Session>> rooms = new HashMap<>();

    @Override
    public void onOpen(Session session) {
        rooms.computeIfAbsent(room(session), name -> new LinkedHashSet<>()).add(session);
        broadcast(room(session), "* " + user(session) + " joined");
    }

    @Override
    public void onText(Session session, String text) {
        broadcast(room(session), user(session) + ": " + text);
    }

    @Override
    public void onClose(Session session, CloseCode code, String reason) {
        Set<Session> members = rooms.get(room(session));
        if (members != null && members.remove(session)) {
            if (members.isEmpty()) {
                rooms.remove(room(session));
            } else {
                broadcast(room(session), "* " + user(session) + " left");
            }
        }
    }

    /** Who is in a room now, in the order they joined (on the reactor thread). */
    Set<Session> members(String room) {
        return rooms.getOrDefault(room, Set.of());
    }

    /** Sends a line to everyone in a room (on the reactor thread). */
    void announce(String room, String line) {
        broadcast(room, line);
    }

    private void broadcast(String room, String line) {
        for (Session member : rooms.getOrDefault(room, Set.of())) {
            member.sendText(line);
        }
    }

    private static String room(Session session) {
        return session.pathParameter("room");
    }

    static String user(Session session) {
        return (String) session.attribute(ChatServer.USER);
    }
}
