package dev.wsreactor.protocol.internal;

/**
 * What a PROXY protocol header (HAProxy's spec, versions 1 and 2) says about the connection it precedes.
 *
 * @param version 1 (text) or 2 (binary)
 * @param command {@link Command#PROXY} for a relayed connection, {@link Command#LOCAL} for the proxy's own
 * @param family the address family of the addresses; {@link Family#UNSPEC} for v1's {@code UNKNOWN}
 * @param source the client's 4 or 16 address bytes, or {@code null} when the header carries none usable
 * @param sourcePort the client's port, or 0
 * @param destination the address the client connected to (the proxy's), or {@code null}
 * @param destinationPort the port the client connected to, or 0
 */
public record ProxyHeader(int version, Command command, Family family, byte[] source, int sourcePort,
        byte[] destination, int destinationPort) {

    /** v2's command; v1 headers are always {@code PROXY}. */
    public enum Command {
        /** The proxy's own connection (a health check): the socket's endpoints are the real ones. */
        LOCAL,
        /** A connection relayed for a client, whose addresses follow. */
        PROXY
    }

    /** The address family. */
    public enum Family {
        /** Unknown or unspecified: use the socket's endpoints. */
        UNSPEC,
        /** IPv4 ({@code TCP4} in v1). */
        INET,
        /** IPv6 ({@code TCP6} in v1). */
        INET6,
        /** A Unix socket path (v2 only): no IP address for us. */
        UNIX
    }

    /**
     * Whether the header names the client's IP address and port, which then replace the socket's.
     *
     * @return true for a relayed IPv4 or IPv6 connection
     */
    public boolean hasClientAddress() {
        return command == Command.PROXY && source != null;
    }
}
