package dev.wsreactor.examples.seats;

import dev.wsreactor.bus.Bus;
import dev.wsreactor.protocol.handshake.HandshakeRejection;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import dev.wsreactor.reactor.WebSocketServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Live seat booking: one page and one WebSocket endpoint on one port. Every page shows the same seat map and sees
 * every hold, release, sale and expiry the moment it happens.
 *
 * <pre>
 * java dev.wsreactor.examples.seats.SeatsServer [--host 127.0.0.1] [--port 8080] [--hold-seconds 60]
 *                                              [--server-name NAME[:PORT]]... [--node NAME] [--redis URI]
 * </pre>
 *
 * <p>{@code GET /} is the page (HTML, CSS and JavaScript from the classpath, no build step); {@code /ws} is the
 * WebSocket endpoint; {@code GET /stats} says which node this is and how it stands. The protocol is in the
 * module's README. With {@code --redis} the seats live in Redis and several nodes share them (see
 * {@link ClusterSync}); without it, in this process's memory.
 */
public final class SeatsServer implements AutoCloseable {

    /**
     * What the server can be told.
     *
     * @param hold how long a hold lasts unless confirmed
     * @param maxHoldsPerClient how many seats one client may hold at a time
     * @param maxMessagesPerSecond more than this from one session in any second closes it with 1008
     * @param serverNames the names browsers reach it by (the {@code Host} a WebSocket upgrade must carry), each
     *     with {@code :PORT} when that is not this server's own (behind a proxy); empty: the host it listens on,
     *     and the loopback names when that is a loopback or wildcard address
     * @param node this node's name, in {@code /stats}, the {@code X-Seats-Node} header and the snapshot
     * @param redis where the shared seat store is; null: in memory, a single node
     */
    public record Options(String host, int port, Duration hold, int maxHoldsPerClient, int maxMessagesPerSecond,
            List<String> serverNames, String node, URI redis) {

        public static Options defaults() {
            return new Options("127.0.0.1", 8080, Duration.ofSeconds(60), 8, 50, List.of(), "seats", null);
        }

        public Options withAddress(String newHost, int newPort) {
            return new Options(newHost, newPort, hold, maxHoldsPerClient, maxMessagesPerSecond, serverNames, node,
                    redis);
        }

        public Options withHold(Duration newHold) {
            return new Options(host, port, newHold, maxHoldsPerClient, maxMessagesPerSecond, serverNames, node,
                    redis);
        }

        public Options withServerNames(List<String> names) {
            return new Options(host, port, hold, maxHoldsPerClient, maxMessagesPerSecond, List.copyOf(names), node,
                    redis);
        }

        /** A node of a cluster: its name, and the Redis every node shares. */
        public Options withCluster(String nodeName, URI redisUri) {
            return new Options(host, port, hold, maxHoldsPerClient, maxMessagesPerSecond, serverNames, nodeName,
                    redisUri);
        }
    }

    /** Requests are a few dozen bytes; anything much bigger is not one of ours (the library closes with 1009). */
    static final int MAX_MESSAGE_SIZE = 4096;
    static final String WEBSOCKET_PATH = "/ws";

    /** The page's files, read once at startup; path to resource name and content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/seats.css", new String[] {"seats.css", "text/css; charset=utf-8"},
            "/seats.js", new String[] {"seats.js", "text/javascript; charset=utf-8"});

    /** Keepalive Pings: a proxy in front (nginx's proxy_read_timeout) must wait longer than this. */
    static final Duration PING_INTERVAL = Duration.ofSeconds(20);

    private final Options options;
    private final WebSocketServer server;
    private final ScheduledExecutorService timers;
    private final Set<String> serverNames;
    private final Map<String, byte[]> files = new java.util.HashMap<>();
    private final SeatStore store;
    private final Bus bus;
    private final Booking booking;
    private final ClusterSync cluster;

    private SeatsServer(Options options, Bus bus) {
        this.options = options;
        this.bus = bus;
        for (String[] file : FILES.values()) {
            files.computeIfAbsent(file[0], SeatsServer::resource);
        }
        timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "seats-timers");
            thread.setDaemon(true);
            return thread;
        });
        store = options.redis() == null
                ? new MemorySeatStore(options.maxHoldsPerClient(), options.hold().toNanos())
                : new RedisSeatStore(options.redis(), "seats", options.hold().toMillis(),
                        options.maxHoldsPerClient());
        booking = new Booking(options, timers, store, new Visitors(options.redis() == null
                ? Visitors.TokenScope.ISSUED_HERE : Visitors.TokenScope.ANY_NODE));
        serverNames = serverNames(options);
        server = WebSocketServer.builder()
                .bind(options.host(), options.port())
                // One reactor, on purpose: Booking needs no lock because every handler call runs on that one thread.
                .reactors(1)
                .handler(booking)
                .httpHandler(this::http)
                .handshakeHook(this::checkHandshake)
                .maxMessageSize(MAX_MESSAGE_SIZE)
                .pingInterval(PING_INTERVAL)
                .shutdownGrace(Duration.ofSeconds(2))
                .build();
        cluster = bus == null ? null : new ClusterSync(bus, store, options.node(), booking, server::execute, timers);
        booking.attach(server, cluster);
    }

    /**
     * Starts a server; port 0 picks a free one (see {@link #port()}). With {@link Options#redis()}, a node of a
     * cluster, its changes told to the others over a {@link RedisBuses Redis bus}.
     */
    public static SeatsServer start(Options options) {
        return start(options, options.redis() == null ? null : RedisBuses.connect(options.redis(), options.node()));
    }

    /** A node of a cluster whose changes travel over the given bus (needs {@link Options#redis()}). */
    static SeatsServer start(Options options, Bus bus) {
        SeatsServer seats = new SeatsServer(options, bus);
        try {
            seats.server.start();
            if (seats.cluster != null) {
                seats.cluster.start();
            }
        } catch (RuntimeException e) {
            seats.close();
            throw e;
        }
        return seats;
    }

    /** Starts a server with the default limits. */
    public static SeatsServer start(String host, int port, Duration hold) {
        return start(Options.defaults().withAddress(host, port).withHold(hold));
    }

    public int port() {
        return server.port();
    }

    /** Graceful: every page gets a Close with 1001 (Going Away) and reconnects to whatever comes next. */
    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
        server.close(); // first: the sessions' last callbacks may still schedule on the timers
        timers.shutdownNow();
        store.close();
        if (bus != null) {
            bus.close();
        }
    }

    /** This node's name. */
    public String node() {
        return options.node();
    }

    /** Only {@value #WEBSOCKET_PATH} upgrades, and a browser only from a page of this same server. */
    private HandshakeRejection checkHandshake(HttpRequest request) {
        if (!WEBSOCKET_PATH.equals(request.path())) {
            return HandshakeRejection.of(HttpStatus.NOT_FOUND, "the WebSocket endpoint is " + WEBSOCKET_PATH);
        }
        // Browsers send Origin and let any site open a WebSocket anywhere; refusing foreign origins keeps
        // other sites' pages from booking in a visitor's name (cross-site WebSocket hijacking).
        String origin = request.header("Origin");
        if (origin == null) {
            return null; // not a browser
        }
        // DNS rebinding: a foreign name made to resolve to us arrives as the Host, and its page's Origin matches
        // it. Only a Host we serve makes "Origin = Host" mean "a page of ours".
        String host = request.header("Host");
        if (host == null || !servesHost(host)) {
            return HandshakeRejection.of(HttpStatus.FORBIDDEN, "not a name this server serves: " + host);
        }
        if (!origin.equals("http://" + host) && !origin.equals("https://" + host)) {
            return HandshakeRejection.of(HttpStatus.FORBIDDEN, "origin not allowed: " + origin);
        }
        return null;
    }

    /** The names it answers to, lower case: as configured, or the address it listens on (and loopback's names). */
    private static Set<String> serverNames(Options options) {
        Set<String> names = new HashSet<>();
        options.serverNames().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
        if (names.isEmpty()) {
            InetAddress address = new InetSocketAddress(options.host(), 0).getAddress();
            names.add(options.host().toLowerCase(Locale.ROOT));
            if (address != null && (address.isLoopbackAddress() || address.isAnyLocalAddress())) {
                names.addAll(List.of("localhost", "127.0.0.1", "[::1]"));
            }
        }
        return names;
    }

    /** Whether a Host header (RFC 9110 §7.2: a name, and a port unless it is 80) names this server. */
    private boolean servesHost(String host) {
        String value = host.trim().toLowerCase(Locale.ROOT);
        int colon = value.lastIndexOf(':');
        boolean hasPort = colon > value.lastIndexOf(']');
        String name = hasPort ? value.substring(0, colon) : value;
        String port = hasPort ? value.substring(colon + 1) : "80";
        // A name:port names the proxy in front; a bare name, this server on its own port.
        return serverNames.contains(name + ":" + port)
                || serverNames.contains(name) && port.equals(Integer.toString(server.port()));
    }

    /** Every HTTP answer says which node gave it, so a test (or a person) behind a balancer can tell. */
    private HttpResponse http(HttpRequest request) {
        HttpResponse response = "/stats".equals(request.path()) ? stats() : page(request, files);
        response.headers().add("X-Seats-Node", options.node());
        return response;
    }

    private HttpResponse stats() {
        String json = Messages.stats(options.node(), store.kind(), booking.watchers(),
                cluster == null ? "UP" : cluster.link().name(), cluster == null ? 0 : cluster.rebuilds());
        HttpHeaders headers = HttpHeaders.of("Content-Type", "application/json", "Cache-Control", "no-store",
                "Connection", "close");
        return new HttpResponse(HttpStatus.OK, HttpStatus.reasonPhrase(HttpStatus.OK), headers,
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static HttpResponse page(HttpRequest request, Map<String, byte[]> files) {
        String[] file = FILES.get(request.path());
        if (file == null) {
            return HttpResponse.text(HttpStatus.NOT_FOUND, "not found");
        }
        if (!request.method().equals("GET")) {
            HttpResponse response = HttpResponse.text(HttpStatus.METHOD_NOT_ALLOWED, "only GET");
            response.headers().add("Allow", "GET");
            return response;
        }
        HttpHeaders headers = HttpHeaders.of(
                "Content-Type", file[1],
                "Cache-Control", "no-store",
                "X-Content-Type-Options", "nosniff",
                // The page may talk to this server and nothing else: no CDN, no fonts, no analytics.
                "Content-Security-Policy", "default-src 'self'; connect-src 'self'; frame-ancestors 'none'",
                "Connection", "close");
        return new HttpResponse(HttpStatus.OK, HttpStatus.reasonPhrase(HttpStatus.OK), headers, files.get(file[0]));
    }

    private static byte[] resource(String name) {
        try (InputStream in = SeatsServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + SeatsServer.class);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        Options options = Options.defaults();
        String host = options.host();
        int port = options.port();
        Duration hold = options.hold();
        String node = options.node();
        URI redis = null;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = value(args, ++i);
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                case "--hold-seconds" -> hold = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                case "--server-name" -> names.add(value(args, ++i));
                case "--node" -> node = value(args, ++i);
                case "--redis" -> redis = URI.create(value(args, ++i));
                case "-h", "--help" -> {
                    System.out.println("usage: SeatsServer [--host H] [--port P] [--hold-seconds S]"
                            + " [--server-name NAME[:PORT]]... [--node NAME] [--redis redis://HOST:PORT]");
                    return;
                }
                default -> {
                    System.err.println("unknown option: " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        if (hold.isNegative() || hold.isZero()) {
            System.err.println("--hold-seconds must be positive");
            System.exit(2);
        }
        SeatsServer seats = start(options.withAddress(host, port).withHold(hold).withServerNames(names)
                .withCluster(node, redis));
        Runtime.getRuntime().addShutdownHook(new Thread(seats::close, "seats-shutdown"));
        System.out.println("seats: " + (redis == null ? "" : "node " + node + " of the cluster on " + redis + ", ")
                + "open http://" + host + ":" + seats.port() + "/ (holds last " + hold.toSeconds() + " s; Ctrl-C stops)");
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println("missing value after " + args[i - 1]);
            System.exit(2);
        }
        return args[i];
    }
}
