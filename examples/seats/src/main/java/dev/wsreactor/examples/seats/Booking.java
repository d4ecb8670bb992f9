package dev.wsreactor.examples.seats;

import dev.wsreactor.examples.seats.SeatMap.Rejected;
import dev.wsreactor.examples.seats.SeatMap.Seat;
import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.reactor.Session;
import dev.wsreactor.reactor.WebSocketHandler;
import dev.wsreactor.reactor.WebSocketServer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The booking office: turns clients' requests into changes of the {@link SeatMap} and tells every page.
 *
 * <h2>Why there is not a single lock here</h2>
 *
 * Every field of this class is read and written on the server's one reactor thread, and nowhere else: the
 * {@link WebSocketHandler} methods are called there, and the hold timers do not touch the state, they only hand a
 * task to {@link WebSocketServer#execute}, which runs it on that same thread. So "is the seat free? then it is
 * mine" cannot be interleaved with anything: when five clients click C7 at once, their five messages are five
 * {@link #onText} calls, one after the other; the first holds the seat, the other four are refused. And because
 * every change is broadcast from that thread, in the order it happened, every page sees the changes in the same
 * order, after the snapshot it started from. Locks would buy nothing but a way to get it wrong. The price is the
 * reactor's rule: nothing in here may block.
 */
final class Booking implements WebSocketHandler {

    /** A browser (or any client): its public id shown as seat owner, and the secret token that reclaims it. */
    private static final class Client {
        final String id;
        final String token;
        int sessions;

        Client(String id, String token) {
            this.id = id;
            this.token = token;
        }
    }

    /** Per-session bookkeeping, kept as a session attribute. */
    private static final class Visit {
        final Client client;
        final FloodGate gate;
        boolean evicted;

        Visit(Client client, FloodGate gate) {
            this.client = client;
            this.gate = gate;
        }
    }

    private static final String VISIT = "seats.visit";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SeatsServer.Options options;
    private final ScheduledExecutorService timers;
    private final SeatMap map;
    /** Clients by token: those connected now and those who still hold or own seats. */
    private final Map<String, Client> clients = new HashMap<>();
    private int watchers;
    private boolean watchersBroadcastPending;
    private WebSocketServer server;

    Booking(SeatsServer.Options options, ScheduledExecutorService timers) {
        this.options = options;
        this.timers = timers;
        this.map = new SeatMap(options.maxHoldsPerClient());
    }

    /** Set once, before the server starts (Thread.start makes it visible to the reactor thread). */
    void attach(WebSocketServer server) {
        this.server = server;
    }

    @Override
    public void onOpen(Session session) {
        Client client = clients.get(tokenOf(session.request().query()));
        if (client == null) {
            client = new Client(randomId(6), randomId(18));
            clients.put(client.token, client);
        }
        client.sessions++;
        session.attribute(VISIT, new Visit(client, new FloodGate(options.maxMessagesPerSecond())));
        watchers++;
        session.sendText(Messages.snapshot(client.id, client.token, watchers, options.hold().toMillis(), map,
                System.nanoTime()));
        watchersChanged();
    }

    @Override
    public void onText(Session session, String text) {
        Visit visit = (Visit) session.attribute(VISIT);
        if (visit == null || visit.evicted) {
            return; // already being closed: what it still sends does not count
        }
        if (!visit.gate.admit(System.nanoTime())) {
            visit.evicted = true;
            session.close(CloseCode.POLICY_VIOLATION,
                    "more than " + options.maxMessagesPerSecond() + " messages a second");
            return;
        }
        Request request;
        try {
            request = Request.parse(text);
        } catch (Request.Invalid e) {
            session.sendText(Messages.error(e.getMessage(), null));
            return;
        }
        String owner = visit.client.id;
        long now = System.nanoTime();
        try {
            switch (request.type()) {
                case "hold" -> {
                    Seat seat = map.hold(request.seat(), owner, now, options.hold().toNanos());
                    scheduleExpiry(seat.name, seat.generation);
                    changed(seat, "held", now);
                }
                case "release" -> changed(map.release(request.seat(), owner), "released", now);
                case "confirm" -> changed(map.confirm(request.seat(), owner), "sold", now);
                default -> throw new IllegalStateException(request.type()); // Request.parse allows no other
            }
        } catch (Rejected e) {
            // Echo the seat name only if it is one: the client chose that string.
            String seat = map.seat(request.seat()) != null ? request.seat() : null;
            session.sendText(Messages.error(e.getMessage(), seat));
        }
    }

    @Override
    public void onClose(Session session, CloseCode code, String reason) {
        Visit visit = (Visit) session.attribute(VISIT);
        if (visit == null) {
            return;
        }
        session.attribute(VISIT, null);
        visit.client.sessions--;
        forgetIfIdle(visit.client);
        watchers--;
        watchersChanged();
    }

    /**
     * Tells every page the new count, at most every {@value #WATCHERS_PUSH_MILLIS} ms: when thousands of pages
     * connect at once, one message per connection to every page would be quadratic (10,000 pages: 50 million
     * messages); coalesced, each page gets a few.
     */
    private void watchersChanged() {
        if (watchersBroadcastPending) {
            return;
        }
        watchersBroadcastPending = true;
        timers.schedule(() -> server.execute(() -> {
            watchersBroadcastPending = false;
            server.broadcast(Messages.watchers(watchers));
        }), WATCHERS_PUSH_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static final long WATCHERS_PUSH_MILLIS = 100;

    private void changed(Seat seat, String cause, long now) {
        // Encoded once, the same bytes queued to every open session, the requester included: its own change
        // reaches it the same way as everyone else's.
        server.broadcast(Messages.seatChanged(seat, cause, now));
    }

    private void scheduleExpiry(String seat, long generation) {
        // The timer thread only schedules; the work hops onto the reactor thread through execute().
        timers.schedule(() -> server.execute(() -> expire(seat, generation)),
                options.hold().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** On the reactor thread: the hold ran out, unless it was released, confirmed or replaced meanwhile. */
    private void expire(String name, long generation) {
        Seat seat = map.seat(name);
        String owner = seat.owner;
        if (map.expire(name, generation) != null) {
            changed(seat, "expired", System.nanoTime());
            Client client = clientById(owner);
            if (client != null) {
                forgetIfIdle(client);
            }
        }
    }

    /** A client with no session and no seat cannot come back to anything: drop it. */
    private void forgetIfIdle(Client client) {
        if (client.sessions == 0 && !map.ownsAny(client.id)) {
            clients.remove(client.token);
        }
    }

    private Client clientById(String id) {
        for (Client client : clients.values()) {
            if (client.id.equals(id)) {
                return client;
            }
        }
        return null;
    }

    /** The {@code token} query parameter, which a page sends when it reconnects, or null. */
    static String tokenOf(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("token=")) {
                return pair.substring("token=".length());
            }
        }
        return null;
    }

    private static String randomId(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
