package dev.wsreactor.reactor;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP proxy's tunnel, as a client asks for one (RFC 9110 §9.3.6): the {@code CONNECT host:port} request, and
 * the check of the proxy's answer, whose head must end before anything else comes (the server speaks only once
 * we have, through the tunnel). A 2xx opens the tunnel; any other status fails the connection with a
 * {@link HandshakeFailedException} carrying it. No I/O here: the {@link Connector} moves the bytes.
 */
final class ProxyTunnel {

    /** The longest reply head accepted. */
    static final int MAX_REPLY_HEAD = 8 * 1024;

    private final InetSocketAddress proxy;
    private final String authority;
    private final ByteBuffer request;
    private final ByteBuffer reply = ByteBuffer.allocate(MAX_REPLY_HEAD);

    /**
     * A tunnel through {@code proxy} to {@code host:port}, sending {@code authorization} as the request's
     * {@code Proxy-Authorization} when it is not null.
     */
    ProxyTunnel(InetSocketAddress proxy, String host, int port, String authorization) {
        this.proxy = proxy;
        this.authority = host + ":" + port;
        String head = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n"
                + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n") + "\r\n";
        this.request = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Where the proxy is: what the socket connects to. */
    InetSocketAddress proxy() {
        return proxy;
    }

    /** The request's bytes not written yet. */
    ByteBuffer request() {
        return request;
    }

    /** Where the proxy's reply is read into. */
    ByteBuffer reply() {
        return reply;
    }

    /**
     * Whether the reply read so far is a complete 2xx head (the tunnel is open); false while more is to come.
     *
     * @throws HandshakeFailedException when the proxy refused, or its reply is no HTTP reply head
     */
    boolean isOpen() throws HandshakeFailedException {
        int end = headEnd();
        if (end < 0) {
            if (!reply.hasRemaining()) {
                throw refused(0, "its reply to CONNECT is longer than " + MAX_REPLY_HEAD + " bytes");
            }
            return false;
        }
        if (end != reply.position()) {
            throw refused(0, "it sent bytes after its reply to CONNECT, before we spoke");
        }
        String head = new String(reply.array(), 0, end, StandardCharsets.ISO_8859_1);
        String statusLine = head.substring(0, head.indexOf("\r\n"));
        String[] parts = statusLine.split(" ", 3);
        int status = parts.length >= 2 && parts[0].startsWith("HTTP/1.") && parts[1].matches("[0-9]{3}")
                ? Integer.parseInt(parts[1]) : 0;
        if (status == 0) {
            throw refused(0, "its reply to CONNECT is no HTTP status line: " + statusLine);
        }
        if (status / 100 != 2) {
            throw refused(status, "it answered CONNECT " + authority + " with " + statusLine);
        }
        return true;
    }

    /** The proxy closed the connection before its reply was complete. */
    HandshakeFailedException closedEarly() {
        return refused(0, "it closed the connection before its reply to CONNECT was complete");
    }

    private HandshakeFailedException refused(int status, String what) {
        return new HandshakeFailedException(status, "the proxy " + proxy + " did not open a tunnel: " + what);
    }

    /** The index just past the head's blank line, or -1 if it has not come yet. */
    private int headEnd() {
        byte[] bytes = reply.array();
        for (int i = 3; i < reply.position(); i++) {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }
}
