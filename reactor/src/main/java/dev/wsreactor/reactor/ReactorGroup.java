package dev.wsreactor.reactor;

import dev.wsreactor.protocol.internal.FrameEncoder;
import dev.wsreactor.protocol.Opcode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A server's reactors: n independent loops, shared-nothing, each exactly the single-threaded {@link Reactor} (its
 * own selector, timers, buffers and compressor), each connection on one of them for its whole life. What the
 * server does as a whole (broadcast, the sessions, the counters, shutdown) is one task per reactor, never one
 * per session, and nothing here is on the path of a message.
 *
 * <p>Connections reach the reactors one of two ways ({@link ListeningSockets}): each reactor accepts from its own
 * {@code SO_REUSEPORT} socket, or the first reactor's acceptor hands each one to the reactor holding the fewest.
 */
final class ReactorGroup {

    /** Empty until {@link #start}; then fixed. */
    private volatile Reactor[] reactors = new Reactor[0];
    private ListeningSockets.Mode mode;
    private InetSocketAddress address;
    /** Where the next least-loaded search starts, so ties rotate instead of always falling on the first. */
    private int nextFirst;

    /** Binds the listening sockets (failing here if the address is taken) and starts every reactor's thread. */
    synchronized void start(ServerSettings settings) throws IOException {
        if (reactors.length > 0) {
            throw new IllegalStateException("already started");
        }
        int n = settings.reactors;
        ListeningSockets sockets = ListeningSockets.bind(settings.address, settings.backlog, n, settings.reusePort);
        mode = sockets.mode;
        Reactor[] made = new Reactor[n];
        try {
            address = (InetSocketAddress) sockets.channels.get(0).getLocalAddress();
            for (int i = 0; i < n; i++) {
                made[i] = new Reactor(settings, i, n, listening(sockets, i), handOff(i));
            }
        } catch (IOException | RuntimeException e) {
            sockets.closeAll();
            stopUnused(made);
            throw e;
        }
        reactors = made;
        ClassPreload.libraryClasses(); // before the first connection, as is what a log line loads:
        ReactorLog.warmUp("listening on " + address + " with " + n + (n == 1 ? " reactor" : " reactors")
                + (mode == ListeningSockets.Mode.REUSE_PORT ? ", one SO_REUSEPORT socket each"
                        : n == 1 ? "" : ", one acceptor handing each connection to the least loaded"));
        startThreads(made, settings.daemon);
    }

    private static ServerSocketChannel listening(ListeningSockets sockets, int reactor) {
        if (sockets.mode == ListeningSockets.Mode.REUSE_PORT) {
            return sockets.channels.get(reactor);
        }
        return reactor == 0 ? sockets.channels.get(0) : null;
    }

    /** Where a reactor's acceptor puts what it accepts: into its own loop, or the least loaded one. */
    private Consumer<SocketChannel> handOff(int reactor) {
        if (mode == ListeningSockets.Mode.REUSE_PORT) {
            return socket -> reactors[reactor].take(socket);
        }
        return this::handToLeastLoaded;
    }

    /** On the acceptor's loop: the reactor with the fewest sockets gets this one. */
    private void handToLeastLoaded(SocketChannel socket) {
        Reactor[] all = reactors;
        int first = Math.floorMod(nextFirst++, all.length);
        Reactor least = all[first];
        for (int k = 1; k < all.length; k++) {
            Reactor candidate = all[(first + k) % all.length];
            if (candidate.held() < least.held()) {
                least = candidate;
            }
        }
        least.take(socket);
    }

    private void startThreads(Reactor[] made, boolean daemon) {
        for (int i = 0; i < made.length; i++) {
            String name = "wsreactor-" + address.getPort() + (made.length == 1 ? "" : "-" + i);
            Thread thread = new Thread(made[i], name);
            thread.setDaemon(daemon);
            made[i].bindThread(thread);
            thread.start();
        }
    }

    /** Start-up failed half way: the reactors made so far run only to stop, which frees what they hold. */
    private void stopUnused(Reactor[] made) {
        List<Reactor> unused = new ArrayList<>();
        for (Reactor reactor : made) {
            if (reactor != null) {
                unused.add(reactor);
            }
        }
        Reactor[] array = unused.toArray(new Reactor[0]);
        startThreads(array, true);
        for (Reactor reactor : array) {
            reactor.shutdown();
        }
    }

    /** The reactors, once started; before, an {@link IllegalStateException}. */
    private Reactor[] started() {
        Reactor[] all = reactors;
        if (all.length == 0) {
            throw new IllegalStateException("the server is not started");
        }
        return all;
    }

    /** The reactors as loops (a client on the server runs its connections on them); once started. */
    EventLoop[] loops() {
        return started().clone();
    }

    InetSocketAddress address() {
        started();
        return address;
    }

    ListeningSockets.Mode mode() {
        started();
        return mode;
    }

    int size() {
        return reactors.length;
    }

    /** TCP connections open or being set up, every reactor together (the admission check's count). */
    int openConnections() {
        int open = 0;
        for (Reactor reactor : reactors) {
            open += reactor.held();
        }
        return open;
    }

    /** Encodes one frame and queues it to every open session the filter accepts: one task per reactor. */
    CompletableFuture<Integer> broadcast(Opcode opcode, ByteBuffer payload, Predicate<Session> filter) {
        Reactor[] all = started();
        ByteBuffer encoded = FrameEncoder.encode(opcode, true, false, 0, payload);
        // Direct, so each socket write sends it without the JDK copying it into a temporary direct buffer.
        ByteBuffer frame = ByteBuffer.allocateDirect(encoded.remaining()).put(encoded).flip().asReadOnlyBuffer();
        CompletableFuture<Integer> total = CompletableFuture.completedFuture(0);
        for (Reactor reactor : all) {
            // Each session's output queue takes its own read-only view of the frame; nobody moves its position.
            CompletableFuture<Integer> sent = reactor.call(() -> reactor.broadcast(frame, filter), 0);
            total = total.thenCombine(sent, Integer::sum);
        }
        return total;
    }

    /** Every reactor's open sessions, each list made on its own reactor. */
    List<Session> sessions() {
        refuseWaitingOnAnotherLoop("sessions()");
        List<Session> all = new ArrayList<>();
        for (Reactor reactor : started()) {
            all.addAll(reactor.call(reactor::sessions, List.<Session>of()).join());
        }
        return all;
    }

    /** TLS ciphertext buffers held by connections, every reactor together (for tests and tools). */
    long tlsBuffersInUse() {
        refuseWaitingOnAnotherLoop("tlsBuffersInUse()");
        long total = 0;
        for (Reactor reactor : started()) {
            total += reactor.call(reactor::tlsBuffersInUse, 0L).join();
        }
        return total;
    }

    /**
     * A reactor that waits for another could wait forever: that one may be waiting for it. With one reactor the
     * call runs inline; with more, it is refused on a reactor thread.
     */
    private void refuseWaitingOnAnotherLoop(String what) {
        if (reactors.length > 1 && onAnyLoop()) {
            throw new IllegalStateException(what + " waits for every reactor, so it cannot be called on one of"
                    + " them when there are several; call it from another thread");
        }
    }

    ServerStats stats() {
        Reactor[] all = started();
        List<ServerStats> each = new ArrayList<>(all.length);
        for (Reactor reactor : all) {
            each.add(reactor.stats());
        }
        return ServerStats.sum(each);
    }

    /** Counts one on the first reactor, for events of the server as a whole that happen off the loops. */
    void count(Counter counter) {
        Reactor first = started()[0];
        first.execute(() -> first.counters().increment(counter));
    }

    /** Runs a task on the first reactor's thread. */
    boolean execute(Runnable task) {
        return started()[0].execute(task);
    }

    /**
     * Graceful shutdown of every reactor at once (each sends 1001 to its sessions); from another thread, waits for
     * all of them up to {@code deadlineNanos}. On a reactor thread it returns at once: the loops finish by
     * themselves, and one of them waiting for the others (perhaps waiting for it) could deadlock.
     */
    void shutdown(long deadlineNanos) {
        Reactor[] all = reactors;
        for (Reactor reactor : all) {
            reactor.shutdown();
        }
        if (onAnyLoop()) {
            return;
        }
        for (Reactor reactor : all) {
            if (!reactor.awaitTermination(deadlineNanos)) {
                ReactorLog.warning("a reactor did not stop within the grace period");
            }
        }
    }

    boolean isRunning() {
        for (Reactor reactor : reactors) {
            if (!reactor.isTerminated()) {
                return true;
            }
        }
        return false;
    }

    private boolean onAnyLoop() {
        for (Reactor reactor : reactors) {
            if (reactor.inLoop()) {
                return true;
            }
        }
        return false;
    }
}
