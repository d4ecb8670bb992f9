package dev.wsreactor.reactor;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide limits and the counts they are checked against: one object per server, made with its settings
 * and shared by every reactor thread, so the counts are atomic and the limits hold for the server as a whole
 * however many loops serve it.
 *
 * <p>A new socket is admitted ({@link #admit}) before any work is done for it, so a flood costs one accept and one
 * close per socket, and the listen backlog never fills up behind sockets the server will not serve.
 */
final class ServerLimits {

    /** Which cap refused a socket, and the canned response a plain TCP client gets for it. */
    enum Refusal {
        CONNECTIONS("maxConnections", "the server is at its connection limit"),
        HANDSHAKING("maxHandshaking", "too many connections are opening at once");

        final String setting;
        private final byte[] response;

        Refusal(String setting, String message) {
            this.setting = setting;
            String body = message + "; try again later\n";
            // Written before any parsing, so the same few bytes whatever the request was (RFC 9110 §15.6.4).
            this.response = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Connection: close\r\nRetry-After: 1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII);
        }

        /** The 503 to write on a plain TCP socket, a fresh view each time. */
        ByteBuffer response() {
            return ByteBuffer.wrap(response);
        }
    }

    /** Without an explicit setting, connections in their opening handshake take at most this share of the files. */
    static final int HANDSHAKING_SHARE_OF_FILE_LIMIT = 2;
    static final int DEFAULT_MAX_HANDSHAKING = 1000;
    /** A setting left to be computed at build(): maxHandshaking's, from the open-file limit. */
    static final int DERIVED = -1;

    final int maxConnections;
    final int maxHandshaking;
    final long maxQueuedBytesTotal;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger handshaking = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();

    ServerLimits(int maxConnections, int maxHandshaking, long maxQueuedBytesTotal) {
        this.maxConnections = maxConnections;
        this.maxHandshaking = maxHandshaking;
        this.maxQueuedBytesTotal = maxQueuedBytesTotal;
    }

    /**
     * The default cap on handshaking connections: {@value #DEFAULT_MAX_HANDSHAKING}, and never more than half the
     * process's open-file limit, so sockets that never finish a handshake cannot use every descriptor.
     */
    static int defaultMaxHandshaking() {
        long files = openFileLimit();
        return files > 0 ? (int) Math.max(1, Math.min(DEFAULT_MAX_HANDSHAKING, files / HANDSHAKING_SHARE_OF_FILE_LIMIT))
                : DEFAULT_MAX_HANDSHAKING;
    }

    /** The process's limit of open files, or -1 where the JDK does not tell it. */
    static long openFileLimit() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return unix.getMaxFileDescriptorCount();
            }
        } catch (Throwable unavailable) {
            // No management module, or a platform without the figure: the fixed default applies.
        }
        return -1;
    }

    /**
     * Counts a socket just accepted as open and handshaking if both caps allow it; otherwise counts nothing and
     * returns the cap that refused it.
     */
    Refusal admit() {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            return Refusal.CONNECTIONS;
        }
        if (handshaking.incrementAndGet() > maxHandshaking) {
            handshaking.decrementAndGet();
            connections.decrementAndGet();
            return Refusal.HANDSHAKING;
        }
        return null;
    }

    /** An admitted socket was closed before a connection took it over: both its places are free again. */
    void giveBack() {
        handshakeOver();
        connectionClosed();
    }

    /** An admitted connection has left its opening handshake (opened, refused, timed out or closed). */
    void handshakeOver() {
        handshaking.decrementAndGet();
    }

    /** An admitted connection's socket is closed. */
    void connectionClosed() {
        connections.decrementAndGet();
    }

    int connections() {
        return connections.get();
    }

    int handshaking() {
        return handshaking.get();
    }

    /** A loop's connections hold {@code delta} more bytes of output (negative: fewer) than it last said. */
    void addQueuedBytes(long delta) {
        if (delta != 0) {
            queuedBytes.addAndGet(delta);
        }
    }

    /** The output every connection of the server holds, as of the loops' last iterations. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /** How far the server's output is over {@link #maxQueuedBytesTotal}, or 0. */
    long overBudget() {
        return Math.max(0, queuedBytes.get() - maxQueuedBytesTotal);
    }
}
