package dev.wsreactor.server;

import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import dev.wsreactor.reactor.CertificateSource;
import dev.wsreactor.reactor.Counter;
import dev.wsreactor.reactor.ProxyProtocol;
import dev.wsreactor.reactor.ServerCertificates;
import dev.wsreactor.reactor.ServerStats;
import dev.wsreactor.reactor.Session;
import dev.wsreactor.reactor.WebSocketHandler;
import dev.wsreactor.reactor.WebSocketServer;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The echo server: sends every message back as it came. The target of the conformance suites and the load
 * generator, and the smallest example of the API. {@code java -jar wsreactor-server.jar --help} lists its options,
 * each with its default; the limits' defaults are the library's.
 *
 * <p>{@code GET /stats} on the same port answers the server's counters as text, one per line. With a keystore or
 * a certificate and key it serves {@code wss://}, with more certificates by server name ({@code --tls-cert-for}),
 * all read again when their files change ({@code --tls-reload}). The password may also come from the environment
 * variable {@code WSREACTOR_TLS_PASSWORD}, which keeps it out of the process list. {@code --reactors} serves with
 * that many loops (0: one per processor; default 1), accepting with {@code SO_REUSEPORT} where the platform has it
 * unless {@code --accept handoff} asks for one acceptor handing connections to the least loaded.
 *
 * <p>Ctrl-C (SIGINT) or SIGTERM stops it gracefully: every session gets a Close with 1001 before the process ends
 * (with the JVM's status for that signal, 130 or 143). Exit status 2 means a bad command line, and
 * {@value #EXIT_THREAD_DIED} that a thread of the server ended with an uncaught exception (the reactor loop gave
 * up): the process then says why on standard error and exits rather than lingering without a loop.
 */
public final class EchoServer {

    /** The exit status when a thread of the server died (EX_SOFTWARE, "internal software error"). */
    public static final int EXIT_THREAD_DIED = 70;
    /** The exit status for a bad command line (EX_USAGE's shell convention). */
    public static final int EXIT_USAGE = 2;

    private EchoServer() {
    }

    /**
     * The handler: every message goes straight back.
     *
     * @return a handler that echoes text as text and binary as binary
     */
    public static WebSocketHandler handler() {
        return new WebSocketHandler() {
            @Override
            public void onText(Session session, String text) {
                session.sendText(text);
            }

            @Override
            public void onBinary(Session session, ByteBuffer data) {
                session.sendKept(session.keep(data)); // a message put together from several reads: not copied
            }
        };
    }

    /**
     * A builder set up as the command line's defaults, for tests and tools that start an echo server in process.
     *
     * @param host the address to listen on
     * @param port the port; 0 picks a free one
     * @return a builder with the echo handler, a 64 MiB message limit and a 426 for plain HTTP requests
     */
    public static WebSocketServer.Builder builder(String host, int port) {
        return WebSocketServer.builder()
                .bind(host, port)
                .handler(handler())
                .maxMessageSize(CommandLine.DEFAULT_MAX_MESSAGE_SIZE)
                .httpHandler(request -> upgradeRequired("ws://" + host + ":" + port + "/"));
    }

    /** 426 with what a client must send instead (RFC 6455 §4.2.2: the version we speak), and a line for humans. */
    private static HttpResponse upgradeRequired(String url) {
        HttpResponse response = HttpResponse.text(HttpStatus.UPGRADE_REQUIRED,
                "wsreactor echo server: connect with a WebSocket client to " + url);
        response.headers().add("Upgrade", "websocket").add("Sec-WebSocket-Version", "13");
        return response;
    }

    /**
     * Starts the server the command line describes and returns once it listens; its threads keep the JVM alive.
     *
     * @param args the options {@code --help} lists
     */
    public static void main(String[] args) {
        CommandLine.Settings settings;
        ServerCertificates tls;
        try {
            settings = CommandLine.parse(args);
            if (settings.help) {
                System.out.print(CommandLine.help());
                return;
            }
            tls = certificates(settings);
        } catch (CommandLine.UsageException | IllegalArgumentException | UncheckedIOException e) {
            usageError(e.getMessage()); // a bad flag, or a keystore or PEM file that cannot be read or used
            return;
        }
        WebSocketServer.Builder builder = builder(settings.host, settings.port)
                .maxMessageSize(settings.maxMessageSize).registerMBean(true).compression(settings.compression)
                .reactors(settings.reactors).reusePort(settings.reusePort);
        settings.changes.forEach(change -> change.accept(builder));
        if (settings.proxyProtocol) {
            builder.proxyProtocol(ProxyProtocol.REQUIRED);
        }
        if (settings.trace) {
            builder.trace(System.out::println);
        }
        if (tls != null) {
            builder.tls(tls);
        }
        String scheme = tls != null ? "wss" : "ws";
        String url = scheme + "://" + settings.host + ":" + settings.port + "/";
        AtomicReference<WebSocketServer> started = new AtomicReference<>();
        builder.httpHandler(request -> request.path().equals("/stats") && started.get() != null
                ? statsPage(started.get().stats()) : upgradeRequired(url));
        WebSocketServer server;
        try {
            server = builder.build();
        } catch (IllegalArgumentException e) {
            usageError(e.getMessage()); // limits that cannot hold together, as build() checks them
            return;
        }
        exitWhenAThreadDies();
        server.start();
        started.set(server);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "wsreactor-shutdown"));
        System.out.println("echo server listening on " + scheme + "://" + settings.host + ":" + server.port()
                + "/ with " + server.reactors() + (server.reactors() == 1 ? " reactor" : " reactors")
                + " (Ctrl-C stops it)");
    }

    private static void usageError(String message) {
        System.err.println("echo server: " + message);
        System.exit(EXIT_USAGE);
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

    /** The certificates the options ask for, read and checked, or null for plain ws://. */
    private static ServerCertificates certificates(CommandLine.Settings s) throws CommandLine.UsageException {
        CertificateSource byDefault = defaultCertificate(s);
        if (byDefault == null) {
            if (!s.certificatesByName.isEmpty()) {
                throw new CommandLine.UsageException("--tls-cert-for needs a default certificate for other names"
                        + " (--tls-cert and --tls-key, or --tls-keystore)");
            }
            return null;
        }
        ServerCertificates.Builder certificates = ServerCertificates.builder(byDefault).reloadInterval(s.tlsReload);
        s.certificatesByName.forEach((name, files) -> certificates.serve(name, CertificateSource.pem(files[0],
                files[1])));
        return certificates.build();
    }

    private static CertificateSource defaultCertificate(CommandLine.Settings s) throws CommandLine.UsageException {
        if (s.keystore != null && (s.cert != null || s.key != null)) {
            throw new CommandLine.UsageException("give either --tls-keystore or --tls-cert and --tls-key, not both");
        }
        if (s.keystore != null) {
            if (s.password == null) {
                throw new CommandLine.UsageException("--tls-keystore needs --tls-password (or "
                        + CommandLine.PASSWORD_VARIABLE + ")");
            }
            return CertificateSource.pkcs12(s.keystore, s.password.toCharArray());
        }
        if (s.cert != null || s.key != null) {
            if (s.cert == null || s.key == null) {
                throw new CommandLine.UsageException("--tls-cert and --tls-key go together");
            }
            return CertificateSource.pem(s.cert, s.key);
        }
        return null;
    }
}
