package dev.wsreactor.examples.seats;

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
 *                                              [--server-name NAME]...
 * </pre>
 *
 * <p>{@code GET /} is the page (HTML, CSS and JavaScript from the classpath, no build step); {@code /ws} is the
 * WebSocket endpoint. The protocol is in the module's README.
 */
public final class SeatsServer implements AutoCloseable {

    /**
     * What the server can be told.
     *
     * @param hold how long a hold lasts unless confirmed
     * @param maxHoldsPerClient how many seats one client may hold at a time
     * @param maxMessagesPerSecond more than this from one session in any second closes it with 1008
     * @param serverNames the names browsers reach it by (the {@code Host} a WebSocket upgrade must carry); empty:
     *     the host it listens on, and the loopback names when that is a loopback or wildcard address
     */
    public record Options(String host, int port, Duration hold, int maxHoldsPerClient, int maxMessagesPerSecond,
            List<String> serverNames) {

        public static Options defaults() {
            return new Options("127.0.0.1", 8080, Duration.ofSeconds(60), 8, 50, List.of());
        }

        public Options withAddress(String newHost, int newPort) {
            return new Options(newHost, newPort, hold, maxHoldsPerClient, maxMessagesPerSecond, serverNames);
        }

        public Options withHold(Duration newHold) {
            return new Options(host, port, newHold, maxHoldsPerClient, maxMessagesPerSecond, serverNames);
        }

        public Options withServerNames(List<String> names) {
            return new Options(host, port, hold, maxHoldsPerClient, maxMessagesPerSecond, List.copyOf(names));
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

    private final WebSocketServer server;
    private final ScheduledExecutorService timers;
    private final Set<String> serverNames;

    private SeatsServer(Options options) {
        Map<String, byte[]> files = new java.util.HashMap<>();
        for (String[] file : FILES.values()) {
            files.computeIfAbsent(file[0], SeatsServer::resource);
        }
        timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "seats-timers");
            thread.setDaemon(true);
            return thread;
        });
        Booking booking = new Booking(options, timers);
        serverNames = serverNames(options);
        server = WebSocketServer.builder()
                .bind(options.host(), options.port())
                // One reactor, on purpose: Booking needs no lock because every handler call runs on that one thread.
                .reactors(1)
                .handler(booking)
                .httpHandler(request -> page(request, files))
                .handshakeHook(this::checkHandshake)
                .maxMessageSize(MAX_MESSAGE_SIZE)
                .shutdownGrace(Duration.ofSeconds(2))
                .build();
        booking.attach(server);
    }

    /** Starts a server; port 0 picks a free one (see {@link #port()}). */
    public static SeatsServer start(Options options) {
        SeatsServer seats = new SeatsServer(options);
        try {
            seats.server.start();
        } catch (RuntimeException e) {
            seats.timers.shutdownNow();
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
        server.close(); // first: the sessions' last callbacks may still schedule on the timers
        timers.shutdownNow();
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
        return serverNames.contains(name) && port.equals(Integer.toString(server.port()));
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
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = value(args, ++i);
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                case "--hold-seconds" -> hold = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                case "--server-name" -> names.add(value(args, ++i));
                case "-h", "--help" -> {
                    System.out.println("usage: SeatsServer [--host H] [--port P] [--hold-seconds S]"
                            + " [--server-name NAME]...");
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
        SeatsServer seats = start(options.withAddress(host, port).withHold(hold).withServerNames(names));
        Runtime.getRuntime().addShutdownHook(new Thread(seats::close, "seats-shutdown"));
        System.out.println("seats: open http://" + host + ":" + seats.port() + "/ (holds last " + hold.toSeconds()
                + " s; Ctrl-C stops)");
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println("missing value after " + args[i - 1]);
            System.exit(2);
        }
        return args[i];
    }
}
