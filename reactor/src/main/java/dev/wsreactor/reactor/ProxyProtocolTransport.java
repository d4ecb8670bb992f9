package dev.wsreactor.reactor;

import dev.wsreactor.protocol.internal.ProxyHeaderParser;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSession;

/**
 * The PROXY protocol in front of another transport (plain or TLS): it reads the header a TCP proxy sends first,
 * makes its source the connection's client address, and hands what followed the header to the transport behind
 * it, which from then on does all the work. A connection whose header is malformed, too long or missing, or that
 * comes from an address that is not a trusted proxy (when some are named), is closed: counted, logged once per
 * interval, never more. The handshake timeout covers the header too: the protocol's timer runs from the accept.
 */
final class ProxyProtocolTransport implements Transport {

    /** Where the header stands. */
    private enum State {
        /** Bytes read go to the parser, and what follows the header to the next transport. */
        AWAITING_HEADER,
        /** The header is read: everything goes straight to the next transport. */
        PASSING,
        /** The header was refused: the connection ends at the next read. */
        REFUSED
    }

    private final long id;
    private final SocketChannel channel;
    private final Transport next;
    /** The loop's read buffer, shared by its connections: each read is consumed before the next. */
    private final ByteBuffer buffer;
    private final InetSocketAddress peer;
    private final ClientOrigin origin;
    private final ProxySettings proxies;
    private final Counters counters;
    private ProxyHeaderParser parser = new ProxyHeaderParser();
    private State state = State.AWAITING_HEADER;

    ProxyProtocolTransport(long id, SocketChannel channel, Transport next, ByteBuffer loopReadBuffer,
            InetSocketAddress peer, ClientOrigin origin, ProxySettings proxies, Counters counters) {
        this.id = id;
        this.channel = channel;
        this.next = next;
        this.buffer = loopReadBuffer;
        this.peer = peer;
        this.origin = origin;
        this.proxies = proxies;
        this.counters = counters;
    }

    @Override
    public int read(long nowNanos) {
        if (state == State.PASSING) {
            return next.read(nowNanos);
        }
        if (state == State.REFUSED || !proxies.acceptsHeaderFrom(peer)) {
            return refuse(nowNanos, "not from a trusted proxy");
        }
        buffer.clear();
        int n = Transport.readSocket(channel, buffer, counters);
        if (n == EOF) {
            return EOF;
        }
        buffer.flip();
        int outcome = receiveRead(buffer, nowNanos);
        return outcome == EOF || n < buffer.capacity() ? outcome : MORE;
    }

    @Override
    public int receiveRead(ByteBuffer bytes, long nowNanos) {
        if (state == State.PASSING) {
            return next.receiveRead(bytes, nowNanos);
        }
        return switch (parser.feed(bytes)) {
            case NEED_MORE -> DRAINED;
            case FAILED -> refuse(nowNanos, parser.failure());
            case DONE -> passOn(bytes, nowNanos);
        };
    }

    /** The header is read: it names the client, and the rest of {@code bytes} is the next transport's. */
    private int passOn(ByteBuffer bytes, long nowNanos) {
        origin.proxied(parser.header());
        parser = null; // its buffer is not needed any more
        state = State.PASSING;
        return next.receiveRead(bytes, nowNanos);
    }

    private int refuse(long nowNanos, String why) {
        if (state != State.REFUSED) {
            state = State.REFUSED;
            counters.increment(Counter.PROXY_HEADER_FAILURES);
            proxies.headerFailed(nowNanos, () -> "connection " + id + " from " + peer + ": PROXY protocol header"
                    + " refused (" + why + "); closing it");
        }
        return EOF;
    }

    @Override
    public int resumeInput(long nowNanos) {
        return state == State.PASSING ? next.resumeInput(nowNanos) : DRAINED;
    }

    @Override
    public boolean inputAwaitsWrite() {
        return next.inputAwaitsWrite();
    }

    @Override
    public int write() {
        return next.write();
    }

    @Override
    public boolean hasOutput() {
        return next.hasOutput();
    }

    @Override
    public long pendingBytes() {
        return next.pendingBytes();
    }

    @Override
    public long writtenPosition() {
        return next.writtenPosition();
    }

    @Override
    public long ownedBytes() {
        return next.ownedBytes();
    }

    @Override
    public int shutdownOutput() {
        return next.shutdownOutput();
    }

    @Override
    public boolean readBlocked() {
        return next.readBlocked();
    }

    @Override
    public void release() {
        next.release();
    }

    @Override
    public SSLSession tlsSession() {
        return next.tlsSession();
    }
}
