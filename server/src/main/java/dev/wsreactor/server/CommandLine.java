package dev.wsreactor.server;

import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.reactor.ServerCertificates;
import dev.wsreactor.reactor.WebSocketServer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The echo server's options: one table from which both the parsing and {@code --help} come, so the help cannot
 * leave a flag out, and the limits' defaults shown are read from the library's builder and connection defaults.
 */
final class CommandLine {

    /** Large enough for the conformance suites' biggest messages (16 MiB) with room to spare. */
    static final long DEFAULT_MAX_MESSAGE_SIZE = 64L * 1024 * 1024;
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 9001;
    /** The environment variable a TLS password may come from, which keeps it out of the process list. */
    static final String PASSWORD_VARIABLE = "WSREACTOR_TLS_PASSWORD";
    /** Where {@code --help}'s descriptions start, and the width its lines keep to. */
    private static final int HELP_COLUMN = 38;
    private static final int HELP_WIDTH = 100;

    /** A bad command line: the server says this on standard error and exits 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** What the command line asked for; the library settings it changes are kept as changes to a builder. */
    static final class Settings {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        boolean trace;
        boolean proxyProtocol;
        boolean help;
        int reactors = 1;
        boolean reusePort = true;
        DeflateConfig compression = DeflateConfig.defaults();
        Path keystore;
        String password = System.getenv(PASSWORD_VARIABLE);
        Path cert;
        Path key;
        /** {@code --tls-cert-for}: per server name, its chain and key, in the order given. */
        final Map<String, Path[]> certificatesByName = new LinkedHashMap<>();
        Duration tlsReload = ServerCertificates.DEFAULT_RELOAD_INTERVAL;
        /** The library settings the flags change, in the order given. */
        final List<Consumer<WebSocketServer.Builder>> changes = new ArrayList<>();
    }

    /** One flag: its value's name (null for a switch), what it does, its default (null: none), how it sets it. */
    private record Option(String value, String help, String byDefault, Setter setter) {
    }

    /** Applies a flag's value (null for a switch). */
    private interface Setter {
        void set(Settings settings, String value) throws UsageException;
    }

    /** Reads a flag's value. */
    private interface Parser<T> {
        T parse(String value) throws UsageException;
    }

    private static final Map<String, Option> OPTIONS = options();

    private CommandLine() {
    }

    private static Map<String, Option> options() {
        WebSocketServer.Builder library = WebSocketServer.builder();
        ConnectionConfig connection = ConnectionConfig.defaults();
        long[] queue = library.writeQueueLimits();
        Map<String, Option> o = new LinkedHashMap<>();
        o.put("--host", new Option("HOST", "the address to listen on", DEFAULT_HOST, (s, v) -> s.host = v));
        o.put("--port", new Option("PORT", "the port; 0 picks a free one", "" + DEFAULT_PORT,
                (s, v) -> s.port = integer(v)));
        o.put("--max-message-size", new Option("BYTES", "the largest message, all its frames (1009 above)",
                "" + DEFAULT_MAX_MESSAGE_SIZE, (s, v) -> s.maxMessageSize = number(v)));
        o.put("--ping-interval", new Option("SECONDS", "Ping after this long without a byte; 0: never",
                seconds(connection.pingInterval()),
                library(CommandLine::duration, WebSocketServer.Builder::pingInterval)));
        o.put("--idle-timeout", new Option("SECONDS", "the old name of --ping-interval",
                seconds(connection.pingInterval()),
                library(CommandLine::duration, WebSocketServer.Builder::pingInterval)));
        o.put("--close-when-idle", new Option("SECONDS", "no message either way this long: 1001; 0: never",
                seconds(connection.closeWhenIdle()),
                library(CommandLine::duration, WebSocketServer.Builder::closeWhenIdle)));
        o.put("--compression", new Option("MODE", "permessage-deflate: shared, per-connection, off", "shared",
                (s, v) -> s.compression = compression(v)));
        o.put("--trace", new Option(null, "print every state transition and frame", "off", (s, v) -> s.trace = true));
        o.put("--reactors", new Option("N", "how many loops serve; 0: one per processor", "1",
                (s, v) -> s.reactors = integer(v)));
        o.put("--accept", new Option("MODE", "reuseport (a socket per loop) or handoff", "reuseport",
                (s, v) -> s.reusePort = reusePort(v)));
        o.put("--tls-keystore", new Option("FILE.p12", "serve wss:// with this PKCS#12 keystore", "none: ws://",
                (s, v) -> s.keystore = Path.of(v)));
        o.put("--tls-password", new Option("PASSWORD", "the keystore's password", "$" + PASSWORD_VARIABLE,
                (s, v) -> s.password = v));
        o.put("--tls-cert", new Option("FULLCHAIN.pem", "serve wss:// with this certificate chain", "none",
                (s, v) -> s.cert = Path.of(v)));
        o.put("--tls-key", new Option("PRIVKEY.pem", "and this private key (PKCS#8)", "none",
                (s, v) -> s.key = Path.of(v)));
        o.put("--tls-cert-for", new Option("NAME=CHAIN,KEY", "these PEM files for clients asking for NAME;"
                + " repeatable", "none",
                CommandLine::certificateForName));
        o.put("--tls-reload", new Option("SECONDS", "look for renewed certificate files this often; 0: never",
                seconds(ServerCertificates.DEFAULT_RELOAD_INTERVAL), (s, v) -> s.tlsReload = duration(v)));
        o.put("--max-connections", new Option("N", "connections served at once, server-wide",
                "" + library.maxConnections(),
                library(CommandLine::integer, WebSocketServer.Builder::maxConnections)));
        o.put("--max-handshaking", new Option("N", "connections in their opening handshake at once",
                library.maxHandshaking() + " here, from the file limit",
                library(CommandLine::integer, WebSocketServer.Builder::maxHandshaking)));
        o.put("--handshake-timeout", new Option("SECONDS", "the time a client has for its opening handshake",
                seconds(connection.handshakeTimeout()),
                library(CommandLine::duration, WebSocketServer.Builder::handshakeTimeout)));
        o.put("--close-timeout", new Option("SECONDS", "time for the closing handshake and TCP close",
                seconds(connection.closeTimeout()),
                library(CommandLine::duration, WebSocketServer.Builder::closeTimeout)));
        o.put("--write-queue-limits", new Option("LOW,HIGH,HARD", "queued bytes: resume reading, stop reading, 1008",
                queue[0] + "," + queue[1] + "," + queue[2],
                library(CommandLine::threeNumbers, (b, l) -> b.writeQueueLimits(l[0], l[1], l[2]))));
        o.put("--slow-consumer-timeout", new Option("SECONDS", "above HIGH and not read this long: 1008",
                seconds(library.slowConsumerTimeout()),
                library(CommandLine::duration, WebSocketServer.Builder::slowConsumerTimeout)));
        o.put("--max-queued-bytes-total", new Option("BYTES", "the output all connections may hold together",
                "" + library.maxQueuedBytesTotal(),
                library(CommandLine::number, WebSocketServer.Builder::maxQueuedBytesTotal)));
        o.put("--trusted-proxies", new Option("A,B/N", "proxies whose Forwarded/X-Forwarded-For count", "none",
                library(v -> v.split(","), WebSocketServer.Builder::trustedProxies)));
        o.put("--proxy-protocol", new Option(null, "every connection starts with a PROXY header (v1/v2)", "off",
                (s, v) -> s.proxyProtocol = true));
        o.put("--metrics", new Option("PATH", "serve Prometheus metrics at this path (e.g. /metrics)", "off",
                library(v -> v, WebSocketServer.Builder::metricsEndpoint)));
        o.put("--help", new Option(null, "this text, then exit", null, (s, v) -> s.help = true));
        return o;
    }

    /** Reads the arguments. */
    static Settings parse(String... args) throws UsageException {
        Settings settings = new Settings();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i].equals("-h") ? "--help" : args[i];
            Option option = OPTIONS.get(flag);
            if (option == null) {
                throw new UsageException("unknown option: " + args[i] + " (try --help)");
            }
            if (option.value() != null && ++i >= args.length) {
                throw new UsageException("missing value after " + flag);
            }
            try {
                option.setter().set(settings, option.value() == null ? null : args[i]);
            } catch (UsageException e) {
                throw new UsageException(flag + ": " + e.getMessage());
            }
        }
        return settings;
    }

    /** What {@code --help} prints: every flag, what it does and its default. */
    static String help() {
        StringBuilder text = new StringBuilder("usage: java -jar wsreactor-server.jar [OPTION]...\n"
                + "Sends every WebSocket message back as it came; GET /stats answers its counters.\n\n");
        OPTIONS.forEach((flag, option) -> {
            String line = String.format("  %-" + (HELP_COLUMN - 3) + "s %s", flag
                    + (option.value() == null ? "" : " " + option.value()), option.help());
            String byDefault = option.byDefault() == null ? "" : "(default " + option.byDefault() + ")";
            boolean fits = line.length() + 1 + byDefault.length() <= HELP_WIDTH;
            String gap = byDefault.isEmpty() ? "" : fits ? " " : "\n" + " ".repeat(HELP_COLUMN);
            text.append(line).append(gap).append(byDefault).append('\n');
        });
        return text.append("\nSeconds may have decimals (0.5). Ctrl-C stops it gracefully. Exit status: ")
                .append(EchoServer.EXIT_USAGE).append(" for a bad command line,\n").append(EchoServer.EXIT_THREAD_DIED)
                .append(" when a thread of the server died, else the JVM's (130 after Ctrl-C).\n").toString();
    }

    /** A flag that changes one library setting; its value is read at once, so a bad one fails the command line. */
    private static <T> Setter library(Parser<T> parser, BiConsumer<WebSocketServer.Builder, T> setting) {
        return (settings, text) -> {
            T value = parser.parse(text);
            settings.changes.add(builder -> setting.accept(builder, value));
        };
    }

    /** {@code NAME=FULLCHAIN.pem,PRIVKEY.pem}. */
    private static void certificateForName(Settings settings, String value) throws UsageException {
        int equals = value.indexOf('=');
        String[] files = value.substring(equals + 1).split(",");
        if (equals <= 0 || files.length != 2 || files[0].isBlank() || files[1].isBlank()) {
            throw new UsageException("takes NAME=FULLCHAIN.pem,PRIVKEY.pem, got " + value);
        }
        String name = value.substring(0, equals);
        if (settings.certificatesByName.put(name, new Path[] {Path.of(files[0]), Path.of(files[1])}) != null) {
            throw new UsageException("two certificates for " + name);
        }
    }

    private static int integer(String value) throws UsageException {
        long number = number(value);
        if (number != (int) number) {
            throw new UsageException("too large: " + value);
        }
        return (int) number;
    }

    private static long number(String value) throws UsageException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("not a whole number: " + value);
        }
    }

    private static long[] threeNumbers(String value) throws UsageException {
        String[] parts = value.split(",");
        if (parts.length != 3) {
            throw new UsageException("takes LOW,HIGH,HARD in bytes, got " + value);
        }
        return new long[] {number(parts[0]), number(parts[1]), number(parts[2])};
    }

    private static Duration duration(String seconds) throws UsageException {
        try {
            return Duration.ofNanos(new BigDecimal(seconds.trim()).movePointRight(9).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("not a number of seconds: " + seconds);
        }
    }

    /** A duration as the command line takes it: seconds, with decimals only where it has them. */
    static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    private static DeflateConfig compression(String mode) throws UsageException {
        return switch (mode) {
            case "shared" -> DeflateConfig.defaults();
            case "per-connection" -> new DeflateConfig(true, false, 6, 256);
            case "off" -> DeflateConfig.disabled();
            default -> throw new UsageException("shared, per-connection or off, got " + mode);
        };
    }

    private static boolean reusePort(String mode) throws UsageException {
        return switch (mode) {
            case "reuseport" -> true;
            case "handoff" -> false;
            default -> throw new UsageException("reuseport or handoff, got " + mode);
        };
    }
}
