package dev.wsreactor.reactor;

import dev.wsreactor.bus.Bus;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.handshake.HandshakePolicy;
import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * What {@link WebSocketServer.Builder} collects, each setting with its default, in one place, and the setters of
 * the server-wide ones ({@link EndpointOptions} has those of routes, decisions, timers, proxies and metrics; the
 * builder's own change the connections' and the handshake's configs): {@link ServerSettings} reads them once at
 * {@code build()}.
 */
abstract class ServerOptions {

    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 9001);
    int backlog = 1024;
    int reactors = 1;
    boolean reusePort = true;
    WebSocketHandler handler;
    HttpHandler httpHandler = HttpHandler.UPGRADE_REQUIRED;
    final ServerHandshakeConfig.Builder handshake = ServerHandshakeConfig.builder();
    HandshakePolicy hooks = HandshakePolicy.ACCEPT_ALL;
    final ConnectionConfig.Builder connection = ConnectionConfig.builder();
    int maxConnections = 100_000;
    long lowWaterMark = 256 * 1024;
    long highWaterMark = 1024 * 1024;
    long maxQueuedBytes = 64L * 1024 * 1024;
    int maxHandshaking = ServerLimits.DERIVED;
    Duration slowConsumerTimeout = Duration.ofSeconds(30);
    long maxQueuedBytesTotal = 256L * 1024 * 1024;
    int outputBufferSize = 16 * 1024;
    Duration shutdownGrace = Duration.ofSeconds(5);
    Consumer<String> trace;
    boolean daemon;
    boolean registerMBean;
    SSLContext tlsContext;
    Tls.ClientAuth clientAuth = Tls.ClientAuth.NONE;
    ServerCertificates certificates;
    Executor tlsTaskExecutor;
    List<String> trustedProxies = List.of();
    ProxyProtocol proxyProtocol = ProxyProtocol.OFF;
    String metricsPath;
    Bus metricsBus;
    Executor handlerExecutor;
    final List<Route> routes = new ArrayList<>();
    HandshakeAuthenticator authenticator;

    // What the server-wide limits are set to so far: the defaults on a fresh builder, for tools that print them.

    /**
     * The server-wide connection cap set so far.
     *
     * @return the connections the server serves at most at once (default 100,000)
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * The cap on connections still in their opening handshake, as {@code build()} will apply it.
     *
     * @return the value set, or if none the default: 1,000, or half the open-file limit if less
     */
    public int maxHandshaking() {
        return maxHandshaking == ServerLimits.DERIVED ? ServerLimits.defaultMaxHandshaking() : maxHandshaking;
    }

    /**
     * One connection's write queue limits set so far.
     *
     * @return a new array of the low-water mark, the high-water mark and the hard limit, in bytes
     */
    public long[] writeQueueLimits() {
        return new long[] {lowWaterMark, highWaterMark, maxQueuedBytes};
    }

    /**
     * How long a connection may stay above the high-water mark, not read, before it gets 1008.
     *
     * @return the slow-consumer timeout set so far (default 30 s)
     */
    public Duration slowConsumerTimeout() {
        return slowConsumerTimeout;
    }

    /**
     * The output all connections together may hold.
     *
     * @return the server-wide output budget in bytes set so far (default 256 MiB)
     */
    public long maxQueuedBytesTotal() {
        return maxQueuedBytesTotal;
    }

    /** The builder these settings belong to, for the setters below to return. */
    abstract WebSocketServer.Builder self();

    /**
     * The address to listen on (default 127.0.0.1:9001).
     *
     * @param host the host name or address; {@code 0.0.0.0} for every interface
     * @param port the port; 0 for any free one (see {@link WebSocketServer#port()})
     * @return this builder
     */
    public WebSocketServer.Builder bind(String host, int port) {
        return bind(new InetSocketAddress(host, port));
    }

    /**
     * The address to listen on (default 127.0.0.1:9001).
     *
     * @param address the address; port 0 for any free one
     * @return this builder
     */
    public WebSocketServer.Builder bind(InetSocketAddress address) {
        this.address = Objects.requireNonNull(address);
        return self();
    }

    /**
     * The listening socket's queue of connections not yet accepted (default 1024).
     *
     * @param backlog the queue's length
     * @return this builder
     */
    public WebSocketServer.Builder backlog(int backlog) {
        this.backlog = backlog;
        return self();
    }

    /**
     * How many reactors serve the connections (default 1): independent loops, each on its own thread with its own
     * selector, timers, buffers and compressor; each connection stays on one for its whole life.
     * {@link WebSocketServer#ONE_PER_PROCESSOR} (0) means one per available processor. With more than one, handler
     * calls for one session still run on one thread, in wire order, but different sessions' calls run on different
     * threads at once: state handlers share between sessions needs its own synchronisation.
     *
     * @param count the number of reactors, or {@link WebSocketServer#ONE_PER_PROCESSOR}
     * @return this builder
     */
    public WebSocketServer.Builder reactors(int count) {
        this.reactors = count;
        return self();
    }

    /**
     * With several reactors, whether each listens on its own socket with {@code SO_REUSEPORT} (the kernel spreads
     * connections by a hash of their addresses), where the platform has it (default true); otherwise one acceptor
     * hands each connection to the reactor with the fewest open ones.
     *
     * @param reusePort whether to use {@code SO_REUSEPORT}
     * @return this builder
     */
    public WebSocketServer.Builder reusePort(boolean reusePort) {
        this.reusePort = reusePort;
        return self();
    }

    /**
     * The application: the catch-all route, taking the sessions no {@code route(...)} took; required unless routes
     * are set.
     *
     * @param handler what handles those sessions
     * @return this builder
     */
    public WebSocketServer.Builder handler(WebSocketHandler handler) {
        this.handler = Objects.requireNonNull(handler);
        return self();
    }

    /**
     * Answers plain HTTP requests on the same port; the default answers 426 Upgrade Required.
     *
     * @param httpHandler what answers them
     * @return this builder
     */
    public WebSocketServer.Builder httpHandler(HttpHandler httpHandler) {
        this.httpHandler = Objects.requireNonNull(httpHandler);
        return self();
    }

    /**
     * A check of every valid WebSocket request (path, cookies, tokens); hooks run in the order added.
     *
     * @param hook the check, answering {@code null} to accept
     * @return this builder
     */
    public WebSocketServer.Builder handshakeHook(HandshakePolicy hook) {
        this.hooks = hooks == HandshakePolicy.ACCEPT_ALL ? hook : hooks.and(hook);
        return self();
    }

    /**
     * How long {@link WebSocketServer#close()} waits for sessions to answer 1001 (default 5 s).
     *
     * @param grace the time allowed
     * @return this builder
     */
    public WebSocketServer.Builder shutdownGrace(Duration grace) {
        this.shutdownGrace = Objects.requireNonNull(grace);
        return self();
    }

    /**
     * Connections beyond this many, server-wide, are closed as accepted (after a canned 503 on plain TCP).
     *
     * @param max the limit (default 100,000)
     * @return this builder
     */
    public WebSocketServer.Builder maxConnections(int max) {
        this.maxConnections = max;
        return self();
    }

    /**
     * Backpressure: stop reading from a connection whose queued output is above {@code high} bytes until it is down
     * to {@code low}; close it with 1008 above {@code hardLimit}.
     *
     * @param low the low-water mark (default 256 KiB)
     * @param high the high-water mark (default 1 MiB)
     * @param hardLimit the most a connection may hold (default 64 MiB)
     * @return this builder
     */
    public WebSocketServer.Builder writeQueueLimits(long low, long high, long hardLimit) {
        this.lowWaterMark = low;
        this.highWaterMark = high;
        this.maxQueuedBytes = hardLimit;
        return self();
    }

    /**
     * As maxConnections, for those still handshaking (default 1,000, or half the open-file limit if less).
     *
     * @param max the limit
     * @return this builder
     */
    public WebSocketServer.Builder maxHandshaking(int max) {
        this.maxHandshaking = max;
        return self();
    }

    /**
     * A connection not read this long for backpressure, still above the high-water mark, gets 1008 (30 s).
     *
     * @param timeout the time allowed
     * @return this builder
     */
    public WebSocketServer.Builder slowConsumerTimeout(Duration timeout) {
        this.slowConsumerTimeout = Objects.requireNonNull(timeout);
        return self();
    }

    /**
     * The output all connections together may hold (default 256 MiB); over it the largest queues get 1008.
     *
     * @param bytes the budget
     * @return this builder
     */
    public WebSocketServer.Builder maxQueuedBytesTotal(long bytes) {
        this.maxQueuedBytesTotal = bytes;
        return self();
    }

    /**
     * The size of the pooled direct buffers frames are encoded into (default 16 KiB).
     *
     * @param bytes the buffer size
     * @return this builder
     */
    public WebSocketServer.Builder outputBufferSize(int bytes) {
        this.outputBufferSize = bytes;
        return self();
    }

    /**
     * Serves {@code wss://}: TLS 1.3 and 1.2 with the context's keys, the JDK's default cipher suites, ALPN {@code
     * http/1.1}. {@link Tls} makes a context from a PKCS#12 keystore or from PEM files.
     *
     * @param context the server's keys and trust
     * @return this builder
     */
    public WebSocketServer.Builder tls(SSLContext context) {
        this.tlsContext = Objects.requireNonNull(context);
        this.certificates = null;
        return self();
    }

    /**
     * Serves {@code wss://} as {@link #tls(SSLContext)} does, with a certificate per host name chosen by the
     * client's SNI and read again when its files change (see {@link ServerCertificates}).
     *
     * @param certificates the certificates
     * @return this builder
     */
    public WebSocketServer.Builder tls(ServerCertificates certificates) {
        tls(certificates.context());
        this.certificates = certificates;
        return self();
    }

    /**
     * As {@link #tls(ServerCertificates)}, asking clients for a certificate ({@code WANT}) or requiring one
     * ({@code NEED}), checked against {@link ServerCertificates.Builder#trustedClients}.
     *
     * @param certificates the certificates
     * @param clientAuth whether to ask for client certificates
     * @return this builder
     */
    public WebSocketServer.Builder tls(ServerCertificates certificates, Tls.ClientAuth clientAuth) {
        this.clientAuth = Objects.requireNonNull(clientAuth);
        return tls(certificates);
    }

    /**
     * As {@link #tls(SSLContext)}, asking clients for a certificate ({@code WANT}) or requiring one ({@code NEED}).
     *
     * @param context the server's keys and the trust client certificates are checked against
     * @param clientAuth whether to ask for client certificates
     * @return this builder
     */
    public WebSocketServer.Builder tls(SSLContext context, Tls.ClientAuth clientAuth) {
        this.clientAuth = Objects.requireNonNull(clientAuth);
        return tls(context);
    }

    /**
     * Runs the TLS engines' delegated tasks (the handshake's certificate and key work, about a millisecond of
     * CPU each) on this executor instead of the reactor thread, which meanwhile serves the other connections
     * and resumes the handshake when the task is done. Default: on the reactor thread, which is simpler and
     * faster while handshakes are a small share of the work.
     *
     * @param executor where the tasks run; {@code null} for the reactor thread
     * @return this builder
     */
    public WebSocketServer.Builder tlsTaskExecutor(Executor executor) {
        this.tlsTaskExecutor = executor;
        return self();
    }

    /**
     * Receives one line per state transition and per frame of every connection (for study, not production).
     *
     * @param sink what receives the lines; {@code null} for none
     * @return this builder
     */
    public WebSocketServer.Builder trace(Consumer<String> sink) {
        this.trace = sink;
        return self();
    }

    /**
     * Whether the reactor threads are daemons (default false: a running server keeps the JVM alive).
     *
     * @param daemon whether they are daemons
     * @return this builder
     */
    public WebSocketServer.Builder daemon(boolean daemon) {
        this.daemon = daemon;
        return self();
    }

    /**
     * Registers the counters as an MXBean {@code dev.wsreactor:type=WebSocketServer,port=N}.
     *
     * @param register whether to register it (default false)
     * @return this builder
     */
    public WebSocketServer.Builder registerMBean(boolean register) {
        this.registerMBean = register;
        return self();
    }

    /**
     * Runs every handler call on this executor instead of the reactor thread: per session still one at a time,
     * in wire order, so a handler may block. Default: none, every call runs on the reactor thread.
     *
     * @param executor where handler calls run (JDK 21+: {@code Executors.newVirtualThreadPerTaskExecutor()})
     * @return this builder
     */
    public WebSocketServer.Builder handlerExecutor(Executor executor) {
        this.handlerExecutor = executor;
        return self();
    }
}
