package dev.wsreactor.examples.seats;

import dev.wsreactor.examples.seats.SeatMap.Rejected;
import dev.wsreactor.examples.seats.SeatMap.Seat;
import dev.wsreactor.examples.seats.SeatMap.State;
import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.reactor.Session;
import dev.wsreactor.reactor.WebSocketHandler;
import dev.wsreactor.reactor.WebSocketServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The booking office: turns clients' requests into questions to the {@link SeatStore}, and the store's answers
 * into changes of this node's view of the map, which every page on this node is told.
 *
 * <h2>Why there is not a single lock here</h2>
 *
 * Every field of this class is read and written on the server's one reactor thread, and nowhere else: the
 * {@link WebSocketHandler} methods are called there, and the timers and the store's answers do not touch the state,
 * they only hand a task to {@link WebSocketServer#execute}, which runs it on that same thread. Whether a seat is
 * free is decided by the store, atomically: in memory on this thread (five clicks on C7 are five {@link #onText}
 * calls, one after the other), or in Redis by one Lua script at a time for every node. Every change the view takes
 * is broadcast from this thread in version order per seat, so every page sees the changes in the same order,
 * after the snapshot it started from. The price is the reactor's rule: nothing in here may block.
 */
final class Booking implements WebSocketHandler {

    /** Per-session bookkeeping, kept as a session attribute. */
    private static final class Visit {
        final Visitors.Client client;
        final FloodGate gate;
        boolean evicted;

        Visit(Visitors.Client client, FloodGate gate) {
            this.client = client;
            this.gate = gate;
        }
    }

    private static final String VISIT = "seats.visit";
    private static final long WATCHERS_PUSH_MILLIS = 100;

    private final SeatsServer.Options options;
    private final ScheduledExecutorService timers;
    private final SeatStore store;
    /** This node's picture of the map: the store's changes as they reach it. */
    private final SeatMap view;
    private final Visitors visitors;
    private int watchers;
    /** For {@code /stats}, which may be read from another thread. */
    private volatile int watchersNow;
    private boolean watchersBroadcastPending;
    private WebSocketServer server;
    private Executor reactor;
    /** Tells the other nodes; null on a single node. */
    private ClusterSync cluster;

    Booking(SeatsServer.Options options, ScheduledExecutorService timers, SeatStore store, Visitors visitors) {
        this.options = options;
        this.timers = timers;
        this.store = store;
        this.visitors = visitors;
        this.view = new SeatMap(options.maxHoldsPerClient());
    }

    /** Set once, before the server starts (Thread.start makes it visible to the reactor thread). */
    void attach(WebSocketServer server, ClusterSync cluster) {
        this.server = server;
        this.reactor = server::execute;
        this.cluster = cluster;
    }

    int watchers() {
        return watchersNow;
    }

    @Override
    public void onOpen(Session session) {
        Visitors.Client client = visitors.arrive(tokenOf(session.request().query()));
        session.attribute(VISIT, new Visit(client, new FloodGate(options.maxMessagesPerSecond())));
        watchers++;
        session.sendText(snapshotFor(client));
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
            view.existing(request.seat());
        } catch (Request.Invalid | Rejected e) {
            session.sendText(Messages.error(e.getMessage(), null));
            return;
        }
        String owner = visit.client.id;
        CompletableFuture<SeatChange> decision = switch (request.type()) {
            case "hold" -> store.hold(request.seat(), owner);
            case "release" -> store.release(request.seat(), owner);
            case "confirm" -> store.confirm(request.seat(), owner);
            default -> throw new IllegalStateException(request.type()); // Request.parse allows no other
        };
        decision.whenCompleteAsync((change, failure) -> {
            if (failure == null) {
                decided(change);
            } else {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                session.sendText(Messages.error(cause instanceof Rejected ? cause.getMessage()
                        : "bookings are paused: the seat store cannot be reached; try again", request.seat()));
            }
        }, reactor);
    }

    @Override
    public void onClose(Session session, CloseCode code, String reason) {
        Visit visit = (Visit) session.attribute(VISIT);
        if (visit == null) {
            return;
        }
        session.attribute(VISIT, null);
        visitors.leave(visit.client, view);
        watchers--;
        watchersChanged();
    }

    /** On the reactor thread: a change this node made in the store; the other nodes hear of it from here. */
    private void decided(SeatChange change) {
        if (change == null) {
            return;
        }
        if (cluster != null) {
            cluster.publish(change);
        }
        take(change);
    }

    /**
     * On the reactor thread: a change from the store, made here or on another node, applied to the view and
     * pushed to this node's pages, unless the view has it already.
     */
    void take(SeatChange change) {
        Seat seat = view.seat(change.seat());
        String previousOwner = seat == null ? null : seat.owner;
        long now = System.nanoTime();
        if (view.apply(change, now) == null) {
            return;
        }
        // Encoded once, the same bytes queued to every open session, the requester included: its own change
        // reaches it the same way as everyone else's.
        server.broadcast(Messages.seatChanged(seat, change.cause(), now));
        if (seat.state == State.HELD) {
            scheduleExpiry(seat.name, seat.version, change.expiresInMs());
        } else if (previousOwner != null && seat.state == State.FREE) {
            visitors.forgetIfIdle(previousOwner, view);
        }
    }

    /** On the reactor thread: the view starts over from the store, and every page gets a fresh snapshot. */
    void reset(SeatStore.Snapshot snapshot) {
        view.reset(snapshot.version(), snapshot.taken(), System.nanoTime());
        for (Session session : server.sessions()) {
            if (session.attribute(VISIT) instanceof Visit visit) {
                session.sendText(snapshotFor(visit.client));
            }
        }
        for (SeatChange change : snapshot.taken()) {
            if (change.state() == State.HELD) {
                scheduleExpiry(change.seat(), view.seat(change.seat()).version, change.expiresInMs());
            }
        }
    }

    private String snapshotFor(Visitors.Client client) {
        return Messages.snapshot(client.id, client.token, watchers, options.hold().toMillis(), view,
                System.nanoTime(), options.node());
    }

    /**
     * Tells every page the new count, at most every {@value #WATCHERS_PUSH_MILLIS} ms: when thousands of pages
     * connect at once, one message per connection to every page would be quadratic (10,000 pages: 50 million
     * messages); coalesced, each page gets a few.
     */
    private void watchersChanged() {
        watchersNow = watchers;
        if (watchersBroadcastPending) {
            return;
        }
        watchersBroadcastPending = true;
        timers.schedule(() -> server.execute(() -> {
            watchersBroadcastPending = false;
            server.broadcast(Messages.watchers(watchers));
        }), WATCHERS_PUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Every node sets a timer for every hold it learns of; the store lets only the first expiry through. */
    private void scheduleExpiry(String seat, long holdVersion, long inMillis) {
        // The timer thread only schedules; the work hops onto the reactor thread through execute().
        timers.schedule(() -> server.execute(() -> expire(seat, holdVersion)), inMillis, TimeUnit.MILLISECONDS);
    }

    /** On the reactor thread: the hold ran out, unless it was released, confirmed or replaced meanwhile. */
    private void expire(String seat, long holdVersion) {
        Seat now = view.seat(seat);
        if (now.state != State.HELD || now.version != holdVersion) {
            return; // this node knows it changed; the store would say the same
        }
        store.expire(seat, holdVersion).whenCompleteAsync((change, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof SeatStore.NotYet notYet) {
                scheduleExpiry(seat, holdVersion, notYet.remainingMs);
            } else if (failure == null) {
                decided(change);
            }
            // Unreachable store: the view is rebuilt when it is back, and the rebuild sets the timers again.
        }, reactor);
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
}
