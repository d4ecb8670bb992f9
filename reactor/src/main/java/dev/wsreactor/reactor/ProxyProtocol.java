package dev.wsreactor.reactor;

/**
 * Whether the listener expects HAProxy's PROXY protocol header (v1 or v2) at the start of every connection, as a
 * TCP proxy in front of the server (HAProxy, nginx's {@code stream} with {@code proxy_protocol on}, a cloud load
 * balancer) sends it to tell who the client is. See {@link WebSocketServer.Builder#proxyProtocol}.
 */
public enum ProxyProtocol {
    /** No header: the connection's first byte is the client's (the default). */
    OFF,
    /**
     * Every connection must begin with a header, or it is closed. The header's source address becomes
     * {@link Session#clientAddress()}; it is read before TLS and before the HTTP request.
     */
    REQUIRED
}
