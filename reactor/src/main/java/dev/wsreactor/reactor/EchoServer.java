package dev.wsreactor.reactor;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
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
 * </pre>
 *
 * <p>With a keystore or a certificate and key it serves {@code wss://}. The password may also come from the
 * environment variable {@code WSREACTOR_TLS_PASSWORD}, which keeps it out of the process list. {@code --reactors}
 * serves with that many loops (0: one per processor; default 1), accepting with {@code SO_REUSEPORT} where the
 * platform has it unless {@code --accept handoff} asks for one acceptor handing connections to the least loaded.
 */
public final class EchoServer {

    /** Large enough for the conformance suites' biggest messages (16 MiB) with room to spare. */
    static final long DEFAULT_MAX_MESSAGE_SIZE = 64L * 1024 * 1024;

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
                .writeQueueLimits(4L << 20, 16L << 20, 256L << 20)
                .httpHandler(request -> HttpResponse.text(HttpStatus.UPGRADE_REQUIRED,
                        "wsreactor echo server: connect with a WebSocket client to ws://" + host + ":" + port + "/"));
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
                            + " [--tls-cert FULLCHAIN.pem --tls-key PRIVKEY.pem]");
                    return;
                }
                default -> {
                    System.err.println("unknown option: " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        WebSocketServer.Builder builder = builder(host, port).maxMessageSize(maxMessageSize).registerMBean(true)
                .compression(compression).reactors(reactors).reusePort(reusePort);
        if (idle != null) {
            builder.idleTimeout(idle);
        }
        if (trace) {
            builder.trace(System.out::println);
        }
        SSLContext tls = tlsContext(keystore, password, cert, key);
        if (tls != null) {
            builder.tls(tls);
            String url = "wss://" + host + ":" + port + "/";
            builder.httpHandler(request -> HttpResponse.text(HttpStatus.UPGRADE_REQUIRED,
                    "wsreactor echo server: connect with a WebSocket client to " + url));
        }
        WebSocketServer server = builder.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "wsreactor-shutdown"));
        System.out.println("echo server listening on " + (tls != null ? "wss" : "ws") + "://" + host + ":"
                + server.port() + "/ with " + server.reactors() + (server.reactors() == 1 ? " reactor" : " reactors")
                + " (Ctrl-C stops it)");
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
