package dev.wsreactor.examples.seats;

import dev.wsreactor.bus.Bus;
import dev.wsreactor.bus.BusSubscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a node's view in step with the shared store: publishes the changes this node makes on the bus, applies
 * the other nodes' changes as they arrive, and rebuilds the view from the store when it may have missed one: at
 * start, when the store is back after an outage, when the bus reconnects, and when a version the store has handed
 * out has not arrived within a check interval (a publish lost on the way). The bus only says that something
 * changed; the store is the truth. Everything but {@link #check} runs on the reactor thread.
 */
final class ClusterSync implements AutoCloseable {

    /** The bus topic every node publishes its seat changes to. */
    static final String TOPIC = "seats:changes";
    static final long CHECK_MILLIS = 1000;

    /**
     * Whether this node is in step, as it last saw: {@code UP} once it has rebuilt with both the store and the bus
     * reachable; a node that is not UP rebuilds as soon as both are.
     */
    enum Link { STARTING, UP, STORE_DOWN, BUS_DOWN }

    private final Bus bus;
    private final SeatStore store;
    private final String node;
    private final Booking booking;
    private final Executor reactor;
    private final ScheduledExecutorService timers;
    private final VersionGaps gaps = new VersionGaps();
    private BusSubscription subscription;
    private ScheduledFuture<?> checks;
    private volatile Link link = Link.STARTING;
    private volatile long rebuilds;
    private long busReconnects;
    /** The store's version at the last check, while this node had not seen it yet; 0 if it had. */
    private long awaited;
    /** Changes that arrive while a snapshot is on its way, to apply on top of it; null when not rebuilding. */
    private List<SeatChange> duringRebuild;

    ClusterSync(Bus bus, SeatStore store, String node, Booking booking, Executor reactor,
            ScheduledExecutorService timers) {
        this.bus = bus;
        this.store = store;
        this.node = node;
        this.booking = booking;
        this.reactor = reactor;
        this.timers = timers;
    }

    /** Subscribes, then rebuilds, so no change falls between the snapshot and the first message. */
    void start() {
        subscription = bus.subscribe(TOPIC, reactor, (topic, message) -> received(message));
        reactor.execute(this::rebuild);
        checks = timers.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A change this node made: the others learn it from the bus (or, if that publish is lost, from a rebuild). */
    void publish(SeatChange change) {
        gaps.seen(change.version());
        bus.publish(TOPIC, Messages.change(change, node));
    }

    Link link() {
        return link;
    }

    long rebuilds() {
        return rebuilds;
    }

    private void received(ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.duplicate().get(bytes);
        SeatChange change;
        try {
            change = Messages.parseChange(bytes);
        } catch (IOException e) {
            return; // not ours: the topic is public to anyone who can reach Redis
        }
        if (duringRebuild != null) {
            duringRebuild.add(change);
        }
        gaps.seen(change.version());
        booking.take(change);
    }

    /** On the timer thread: asks the store for its version; the answer is weighed on the reactor thread. */
    private void check() {
        store.version().whenCompleteAsync((version, failure) -> {
            if (failure != null) {
                link = Link.STORE_DOWN;
                return;
            }
            if (!bus.stats().connected()) {
                link = Link.BUS_DOWN; // its changes are in the store; the rebuild when the bus is back shows them
                return;
            }
            long reconnects = bus.stats().reconnects();
            boolean missed = link != Link.UP || reconnects != busReconnects || version < gaps.contiguous()
                    || (awaited > 0 && gaps.contiguous() < awaited);
            busReconnects = reconnects;
            awaited = version > gaps.contiguous() ? version : 0;
            if (missed) {
                rebuild();
            }
        }, reactor);
    }

    private void rebuild() {
        if (duringRebuild != null) {
            return;
        }
        duringRebuild = new ArrayList<>();
        store.snapshot().whenCompleteAsync((snapshot, failure) -> {
            List<SeatChange> since = duringRebuild;
            duringRebuild = null;
            if (failure != null) {
                link = Link.STORE_DOWN;
                return;
            }
            gaps.reset(snapshot.version());
            booking.reset(snapshot);
            for (SeatChange change : since) {
                gaps.seen(change.version());
                booking.take(change);
            }
            awaited = 0;
            rebuilds++;
            link = bus.stats().connected() ? Link.UP : Link.BUS_DOWN;
        }, reactor);
    }

    @Override
    public void close() {
        if (checks != null) {
            checks.cancel(false);
        }
        if (subscription != null) {
            subscription.close();
        }
    }
}
