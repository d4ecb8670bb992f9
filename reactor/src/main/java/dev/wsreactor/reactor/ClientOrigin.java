package dev.wsreactor.reactor;

import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.internal.ForwardedClient;
import dev.wsreactor.protocol.internal.ForwardedHeaders;
import dev.wsreactor.protocol.internal.ProxyHeader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Who one connection's client is, past the proxies the server trusts: the socket's peer, replaced by the source
 * of a PROXY header, then by what a trusted peer's forwarding headers say. Written on the loop's thread before the
 * handler hears of the session; read from any thread.
 */
final class ClientOrigin {

    private volatile InetSocketAddress address;
    private volatile String scheme;

    ClientOrigin(InetSocketAddress socketPeer, boolean tls) {
        this.address = socketPeer;
        this.scheme = tls ? "wss" : "ws";
    }

    InetSocketAddress address() {
        return address;
    }

    String scheme() {
        return scheme;
    }

    /** The PROXY header names the client: it is the peer from now on (the proxy's own socket is not). */
    void proxied(ProxyHeader header) {
        if (header.hasClientAddress()) {
            address = socketAddress(header.source(), header.sourcePort());
        }
    }

    /** The handshake request is read: a trusted peer's forwarding headers name the client and its scheme. */
    void forwarded(HttpRequest request, ProxySettings proxies, long connectionId) {
        if (request == null || proxies.trusted.isEmpty() || !proxies.trusts(address)) { // no proxies: no garbage
            return;
        }
        ForwardedClient client = ForwardedHeaders.resolve(request.headers(), proxies.trusted);
        if (client.verdict() == ForwardedClient.Verdict.IGNORED) {
            ReactorLog.debug(() -> "connection " + connectionId + ": forwarding headers ignored: " + client.problem());
            return;
        }
        if (client.verdict() == ForwardedClient.Verdict.FORWARDED) {
            address = socketAddress(client.address(), client.port());
        }
        if (client.scheme() != null) {
            scheme = client.scheme();
        }
    }

    /** 4 or 16 bytes as an address: no name lookup, and the lengths are the parsers' own. */
    private static InetSocketAddress socketAddress(byte[] bytes, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address of " + bytes.length + " bytes", e);
        }
    }
}
