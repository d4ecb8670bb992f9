package dev.wsreactor.reactor;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * What {@link WebSocketClient.Builder} collects, each setting with its default, in one place: the builder sets
 * them by name and the client reads them as it connects.
 */
abstract class ClientOptions {

    /** The connections' settings, kept in the server's builder so both sides read them the same way. */
    final WebSocketServer.Builder connection = WebSocketServer.builder();
    final HttpHeaders headers = new HttpHeaders();
    List<String> subprotocols = List.of();
    DeflateConfig compression = DeflateConfig.defaults();
    List<String> compressionOffers = List.of(PerMessageDeflate.clientOffer().toHeaderValue());
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration handshakeTimeout = Duration.ofSeconds(10);
    Duration closeTimeout = Duration.ofSeconds(5);
    int outputBufferSize = 16 * 1024;
    boolean daemon = true;
    SSLContext tls;
    int reactors = 1;
    WebSocketServer server;
    InetSocketAddress proxy;
    String proxyAuthorization;

    ClientOptions() {
        connection.compression(compression);
    }

    SSLContext tlsContext() throws IOException {
        try {
            return tls != null ? tls : SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no default TLS context", e);
        }
    }

    List<String> offers() {
        return compression.enabled() ? compressionOffers : List.of();
    }

    /** One connection's settings, with its own handler. */
    synchronized ServerSettings settings(WebSocketHandler handler) {
        connection.handler(handler);
        return new ServerSettings(connection); // its limits object counts this client's connections alone
    }
}
