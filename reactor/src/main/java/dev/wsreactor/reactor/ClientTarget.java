package dev.wsreactor.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Where a client's URI points: §3's rules for ws:// and wss:// URIs.
 *
 * @param secure whether it is wss://
 * @param host the host as the URI writes it (an IPv6 literal in brackets)
 * @param port the port, the scheme's default when the URI names none
 * @param path the path and query, what the request line asks for
 */
record ClientTarget(boolean secure, String host, int port, String path) {

    static ClientTarget of(URI uri) throws IOException {
        boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
        if (!secure && !"ws".equalsIgnoreCase(uri.getScheme())) {
            throw new IOException("§3: a WebSocket URI is ws:// or wss://, got " + uri);
        }
        if (uri.getHost() == null) {
            throw new IOException("§3: the URI has no host: " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IOException("§3: a WebSocket URI has no fragment: " + uri);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        int defaultPort = secure ? 443 : 80;
        return new ClientTarget(secure, uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort(), path);
    }

    String hostHeader() {
        return port == (secure ? 443 : 80) ? host : host + ":" + port;
    }

    String bareHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    InetSocketAddress resolve() throws IOException {
        String bare = bareHost();
        InetSocketAddress address = new InetSocketAddress(bare, port);
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve " + bare);
        }
        return address;
    }
}
