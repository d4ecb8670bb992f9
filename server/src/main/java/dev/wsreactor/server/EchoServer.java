package dev.wsreactor.reactor;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The echo server: sends every message back as it came. The target of the conformance suites and the load
 * generator, and the smallest example of the API.
 *
 * <pre>
 * java dev.wsreactor.reactor.EchoServer [--host 127.0.0.1] [--port 9001] [--max-message-size BYTES]
 *                                       [--idle-timeout SECONDS] [--compression shared|per-connection|off]
 *                                       [--trace] [--reactors N] [--accept reuseport|handoff]
 *                                       [--tls-keystore FILE.p12 --tls-password PASSWORD]
 *                                       [--tls-cert FULLCHAIN.pem --tls-key PRIVKEY.pem]
 *                                       [LIMITS]
 * LIMITS: --max-connections N  --max-handshaking N  --handshake-timeout SECONDS  --close-timeout SECONDS
 *         --write-queue-limits LOW,HIGH,HARD  --slow-consumer-timeout SECONDS  --max-queued-bytes-total BYTES
 * </pre>
 *
 * <p>{@code GET /stats} on the same port answers the server's counters as text, one per line. With a keystore or
 * a certificate and key it serves {@code wss://}. The password may also come from the environment variable
 * {@code WSREACTOR_TLS_PASSWORD}, which keeps it out of the process list. {@code --reactors} serves with that many
 * loops (0: one per processor; default 1), accepting with {@code SO_REUSEPORT} where the platform has it unless
 * {@code --accept handoff} asks for one acceptor handing connections to the least loaded. The limits are the
 * library's defaults unless a flag sets them (seconds may have decimals: {@code 0.5}).
 *
 * <p>Exit status: 0 after Ctrl-C (or any other orderly stop), 2 for a bad command line, and
 * {@value #EXIT_THREAD_DIED} when a thread of the server ended with an uncaught exception (the reactor loop
 * gave up): the process then says why on standard error and exits rather than lingering without a loop.
 */
public final class EchoServer {

    /** Large enough for the conformance suites' biggest messages (16 MiB) with room to spare. */
    static final long DEFAULT_MAX_MESSAGE_SIZE = 64L * 1024 * 1024;
    /** The exit status when a thread of the server died (EX_SOFTWARE, "internal software error"). */
    static final int EXIT_THREAD_DIED = 70;
    private static final List<String> LIMIT_OPTIONS = List.of("--max-connections", "--max-handshaking",
            "--handshake-timeout", "--close-timeout", "--write-queue-limits", "--slow-consumer-timeout",
            "--max-queued-bytes-total");

    private EchoServer() {
    }

    /** The handler: every message goes straight back. */
    public static WebSocketHandler handler() {
        return new WebSocketHandler() {
            @Override
            public void onText(Session session, String text) {
                session.sendText(text);
            }

            @Override
            public void onBinary(Session session, ByteBuffer data) {
                session.sendBinary(data);
            }
        };
    }

    /** A builder set up as the command line's defaults, for tests and tools that start an echo server. */
    public static WebSocketServer.Builder builder(String host, int port) {
        return WebSocketServer.builder()
                .bind(host, port)
                .handler(handler())
                .maxMessageSize(DEFAULT_MAX_MESSAGE_SIZE)
                .httpHandler(request -> upgradeRequired("ws://" + host + ":" + port + "/"));
    }

    /** 426 with what a client must send instead (RFC 6455 §4.2.2: the version we speak), and a line for humans. */
    private static HttpResponse upgradeRequired(String url) {
        HttpResponse response = HttpResponse.text(HttpStatus.UPGRADE_REQUIRED,
                "wsreactor echo server: connect with a WebSocket client to " + url);
        response.headers().add("Upgrade", "websocket").add("Sec-WebSocket-Version", "13");
        return response;
    }

    public static void main(String[] args) {
        String host = "127.0.0.1";
        int port = 9001;
        long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        Duration idle = null;
        boolean trace = false;
        int reactors = 1;
        boolean reusePort = true;
        DeflateConfig compression = DeflateConfig.defaults();
        Path keystore = null;
        String password = System.getenv("WSREACTOR_TLS_PASSWORD");
        Path cert = null;
        Path key = null;
        List<Consumer<WebSocketServer.Builder>> limits = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = value(args, ++i);
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                case "--max-message-size" -> maxMessageSize = Long.parseLong(value(args, ++i));
                case "--idle-timeout" -> idle = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                case "--trace" -> trace = true;
                case "--reactors" -> reactors = Integer.parseInt(value(args, ++i));
                case "--accept" -> reusePort = switch (value(args, ++i)) {
                    case "reuseport" -> true;
                    case "handoff" -> false;
                    default -> throw new IllegalArgumentException("--accept reuseport|handoff");
                };
                case "--compression" -> compression = switch (value(args, ++i)) {
                    case "shared" -> DeflateConfig.defaults();
                    case "per-connection" -> new DeflateConfig(true, false, 6, 256);
                    case "off" -> DeflateConfig.disabled();
                    default -> throw new IllegalArgumentException("--compression shared|per-connection|off");
                };
                case "--tls-keystore" -> keystore = Path.of(value(args, ++i));
                case "--tls-password" -> password = value(args, ++i);
                case "--tls-cert" -> cert = Path.of(value(args, ++i));
                case "--tls-key" -> key = Path.of(value(args, ++i));
                case "-h", "--help" -> {
                    System.out.println("usage: EchoServer [--host H] [--port P] [--max-message-size BYTES]"
                            + " [--idle-timeout SECONDS] [--compression shared|per-connection|off] [--trace]\n"
                            + "                  [--reactors N (0: one per processor)] [--accept reuseport|handoff]\n"
                            + "                  [--tls-keystore FILE.p12 --tls-password PASSWORD]"
                            + " [--tls-cert FULLCHAIN.pem --tls-key PRIVKEY.pem]\n"
                            + "                  [--max-connections N] [--max-handshaking N]"
                            + " [--handshake-timeout SECONDS] [--close-timeout SECONDS]\n"
                            + "                  [--write-queue-limits LOW,HIGH,HARD] [--slow-consumer-timeout SECONDS]"
                            + " [--max-queued-bytes-total BYTES]");
                    return;
                }
                default -> {
                    if (!LIMIT_OPTIONS.contains(args[i])) {
                        System.err.println("unknown option: " + args[i] + " (try --help)");
                        System.exit(2);
                    }
                    limits.add(limit(args[i], value(args, ++i)));
                }
            }
        }
        WebSocketServer.Builder builder = builder(host, port).maxMessageSize(maxMessageSize).registerMBean(true)
                .compression(compression).reactors(reactors).reusePort(reusePort);
        limits.forEach(limit -> limit.accept(builder));
        if (idle != null) {
            builder.idleTimeout(idle);
        }
        if (trace) {
            builder.trace(System.out::println);
        }
        SSLContext tls = tlsContext(keystore, password, cert, key);
        if (tls != null) {
            builder.tls(tls);
        }
        String url = (tls != null ? "wss" : "ws") + "://" + host + ":" + port + "/";
        AtomicReference<WebSocketServer> started = new AtomicReference<>();
        builder.httpHandler(request -> request.path().equals("/stats") && started.get() != null
                ? statsPage(started.get().stats()) : upgradeRequired(url));
        exitWhenAThreadDies();
        WebSocketServer server = builder.build().start();
        started.set(server);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "wsreactor-shutdown"));
        System.out.println("echo server listening on " + (tls != null ? "wss" : "ws") + "://" + host + ":"
                + server.port() + "/ with " + server.reactors() + (server.reactors() == 1 ? " reactor" : " reactors")
                + " (Ctrl-C stops it)");
    }

    /** {@code GET /stats}: one counter per line, its MXBean name and its figure, as of the last loop iteration. */
    private static HttpResponse statsPage(ServerStats stats) {
        StringBuilder page = new StringBuilder();
        for (Counter counter : Counter.values()) {
            page.append(counter.attributeName()).append(' ').append(stats.get(counter)).append('\n');
        }
        page.append("CloseCodes ").append(stats.closeCodes());
        return HttpResponse.text(HttpStatus.OK, page.toString());
    }

    /** What a limit option sets. */
    private static Consumer<WebSocketServer.Builder> limit(String option, String v) {
        return switch (option) {
            case "--max-connections" -> b -> b.maxConnections(Integer.parseInt(v));
            case "--max-handshaking" -> b -> b.maxHandshaking(Integer.parseInt(v));
            case "--handshake-timeout" -> b -> b.handshakeTimeout(seconds(v));
            case "--close-timeout" -> b -> b.closeTimeout(seconds(v));
            case "--slow-consumer-timeout" -> b -> b.slowConsumerTimeout(seconds(v));
            case "--max-queued-bytes-total" -> b -> b.maxQueuedBytesTotal(Long.parseLong(v));
            case "--write-queue-limits" -> writeQueueLimits(v);
            default -> throw new IllegalArgumentException(option);
        };
    }

    private static Consumer<WebSocketServer.Builder> writeQueueLimits(String lowHighHard) {
        String[] parts = lowHighHard.split(",");
        if (parts.length != 3) {
            fail("--write-queue-limits takes LOW,HIGH,HARD in bytes, got " + lowHighHard);
        }
        long low = Long.parseLong(parts[0].trim());
        long high = Long.parseLong(parts[1].trim());
        long hard = Long.parseLong(parts[2].trim());
        return b -> b.writeQueueLimits(low, high, hard);
    }

    private static Duration seconds(String value) {
        return Duration.ofNanos(Math.round(Double.parseDouble(value) * 1e9));
    }

    /**
     * A server whose loop gave up is of no use to anyone: say why on standard error and exit with
     * {@value #EXIT_THREAD_DIED}, so a supervisor restarts it, rather than linger (or exit 0) without a loop.
     */
    private static void exitWhenAThreadDies() {
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            try {
                System.err.println("echo server: thread " + thread.getName() + " ended abnormally (" + error
                        + "); exiting with status " + EXIT_THREAD_DIED);
                error.printStackTrace();
            } finally {
                System.exit(EXIT_THREAD_DIED);
            }
        });
    }

    /** The TLS context the options ask for, or null for plain ws://. */
    private static SSLContext tlsContext(Path keystore, String password, Path cert, Path key) {
        if (keystore != null && (cert != null || key != null)) {
            fail("give either --tls-keystore or --tls-cert and --tls-key, not both");
        }
        if (keystore != null) {
            if (password == null) {
                fail("--tls-keystore needs --tls-password (or WSREACTOR_TLS_PASSWORD)");
            }
            return Tls.fromPkcs12(keystore, password.toCharArray());
        }
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                fail("--tls-cert and --tls-key go together");
            }
            return Tls.fromPem(cert, key);
        }
        return null;
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println("missing value after " + args[i - 1]);
            System.exit(2);
        }
        return args[i];
    }
}
