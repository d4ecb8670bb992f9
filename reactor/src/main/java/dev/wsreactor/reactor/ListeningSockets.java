package dev.wsreactor.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's listening sockets: one per reactor with {@code SO_REUSEPORT} where the platform has it (the kernel
 * then spreads new connections over them by a hash of each connection's addresses and ports), otherwise one,
 * whose acceptor hands each connection to the reactor with the fewest.
 */
final class ListeningSockets {

    /** How connections reach the reactors. */
    enum Mode {
        /** One listening socket, one acceptor: with one reactor, or where {@code SO_REUSEPORT} is missing or off. */
        HAND_OFF,
        /** One listening socket per reactor, all on the same port ({@code SO_REUSEPORT}). */
        REUSE_PORT
    }

    final Mode mode;
    /** The bound sockets: one per reactor in {@link Mode#REUSE_PORT}, one in {@link Mode#HAND_OFF}. */
    final List<ServerSocketChannel> channels;

    private ListeningSockets(Mode mode, List<ServerSocketChannel> channels) {
        this.mode = mode;
        this.channels = channels;
    }

    /** Binds the sockets {@code reactors} loops will accept from; fails if the address is taken. */
    static ListeningSockets bind(InetSocketAddress address, int backlog, int reactors, boolean reusePort)
            throws IOException {
        if (reactors > 1 && reusePort && reusePortSupported()) {
            return new ListeningSockets(Mode.REUSE_PORT, bindShared(address, backlog, reactors));
        }
        return new ListeningSockets(Mode.HAND_OFF, List.of(open(address, backlog, false)));
    }

    static boolean reusePortSupported() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    private static List<ServerSocketChannel> bindShared(InetSocketAddress address, int backlog, int count)
            throws IOException {
        if (address.getPort() != 0) {
            refuseIfTaken(address);
        }
        List<ServerSocketChannel> bound = new ArrayList<>(count);
        try {
            bound.add(open(address, backlog, true));
            // Port 0: the first socket gets a free port, the others join it there.
            InetSocketAddress actual = new InetSocketAddress(address.getAddress(),
                    ((InetSocketAddress) bound.get(0).getLocalAddress()).getPort());
            while (bound.size() < count) {
                bound.add(open(actual, backlog, true));
            }
            return List.copyOf(bound);
        } catch (IOException | RuntimeException e) {
            bound.forEach(Acceptor::closeQuietly);
            throw e;
        }
    }

    /**
     * With {@code SO_REUSEPORT} a second server of the same user could silently share a taken port (and half its
     * connections); a socket without the option cannot bind where anyone listens, so it tells whether one does.
     */
    private static void refuseIfTaken(InetSocketAddress address) throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            probe.bind(address, 1); // a BindException here: the port is taken
        }
    }

    private static ServerSocketChannel open(InetSocketAddress address, int backlog, boolean reusePort)
            throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(address, backlog);
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Closes every socket not yet handed to an acceptor (start-up failed half way). */
    void closeAll() {
        channels.forEach(Acceptor::closeQuietly);
    }
}
