package dev.wsreactor.reactor;

import dev.wsreactor.bus.Bus;
import dev.wsreactor.bus.BusStats;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The server's counters in Prometheus's text exposition format 0.0.4, at one path of the plain HTTP side of the
 * port; every other request goes to the application's {@link HttpHandler}. Each {@link Counter} is a family
 * {@code wsreactor_<name>} (with {@code _total} for running totals) for the server, and
 * {@code wsreactor_reactor_<name>{reactor="K"}} for each reactor, whose sum it is; the close codes are
 * {@code wsreactor_sessions_closed_total{code="1000"}} likewise, and the statuses of handshakes answered without
 * 101 {@code wsreactor_http_responses_total{status="403"}}. Runs on the reactor thread: one pass over a snapshot.
 */
final class MetricsEndpoint implements HttpHandler {

    /** The content type Prometheus asks for and parses. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String RESPONSES_HELP = "opening handshakes answered with another HTTP status than 101, by"
            + " status: rejections and the answers to plain HTTP requests";
    private static final String CLOSES_HELP = "WebSocket sessions closed, by close code (the peer's, or ours when we"
            + " failed the connection)";

    private static final String NANOS = "_NANOS";

    private final String path;
    private final Supplier<ServerStats> stats;
    private final HttpHandler others;
    private final Bus bus;

    /** With a bus (or null), whose figures follow the server's as the {@code wsreactor_bus_*} families. */
    MetricsEndpoint(String path, Supplier<ServerStats> stats, HttpHandler others, Bus bus) {
        this.path = path;
        this.stats = stats;
        this.others = others;
        this.bus = bus;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        if (!request.path().equals(path)) {
            return others.handle(request);
        }
        if (!request.method().equals("GET")) {
            HttpResponse refusal = HttpResponse.text(HttpStatus.METHOD_NOT_ALLOWED, "only GET here");
            refusal.headers().add("Allow", "GET");
            return refusal;
        }
        HttpHeaders headers = HttpHeaders.of("Content-Type", CONTENT_TYPE, "Connection", "close");
        byte[] body = render(stats.get(), bus == null ? null : bus.stats()).getBytes(StandardCharsets.UTF_8);
        return new HttpResponse(HttpStatus.OK, HttpStatus.reasonPhrase(HttpStatus.OK), headers, body);
    }

    /** The server's families, then the bus's when there is one. */
    static String render(ServerStats server, BusStats bus) {
        String text = render(server);
        if (bus == null) {
            return text;
        }
        StringBuilder withBus = new StringBuilder(text);
        BusMetrics.render(withBus, bus);
        return withBus.toString();
    }

    /** Every family, the server's first and then each reactor's, with its HELP and TYPE lines. */
    static String render(ServerStats server) {
        StringBuilder text = new StringBuilder(8192);
        List<ServerStats> reactors = server.reactors();
        for (Counter counter : Counter.values()) {
            String name = name(counter);
            family(text, "wsreactor_" + name, counter.description(), counter.isGauge());
            sample(text, "wsreactor_" + name, "", value(counter, server));
            family(text, "wsreactor_reactor_" + name, counter.description(), counter.isGauge());
            for (int i = 0; i < reactors.size(); i++) {
                sample(text, "wsreactor_reactor_" + name, "reactor=\"" + i + "\"", value(counter, reactors.get(i)));
            }
        }
        byCode(text, "sessions_closed_total", CLOSES_HELP, "code", server, ServerStats::closeCodes);
        byCode(text, "http_responses_total", RESPONSES_HELP, "status", server, ServerStats::httpResponses);
        return text.toString();
    }

    /** {@code bytes_read_total}; a time in seconds, as Prometheus's base units are: {@code tls_task_seconds_total}. */
    private static String name(Counter counter) {
        String base = counter.name().toLowerCase(Locale.ROOT);
        if (inNanos(counter)) {
            base = base.substring(0, base.length() - NANOS.length()) + "_seconds";
        }
        return counter.isGauge() ? base : base + "_total";
    }

    private static String value(Counter counter, ServerStats stats) {
        long value = stats.get(counter);
        return inNanos(counter) ? Double.toString(value / 1e9) : Long.toString(value);
    }

    /** A counter of nanoseconds says so in its name, as {@link Counter#TLS_TASK_NANOS} does. */
    private static boolean inNanos(Counter counter) {
        return counter.name().endsWith(NANOS);
    }

    static void family(StringBuilder text, String name, String help, boolean gauge) {
        text.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        text.append("# TYPE ").append(name).append(gauge ? " gauge\n" : " counter\n");
    }

    static void sample(StringBuilder text, String name, String labels, String value) {
        text.append(name);
        if (!labels.isEmpty()) {
            text.append('{').append(labels).append('}');
        }
        text.append(' ').append(value).append('\n');
    }

    /** A family labelled by a code, for the server and then for each reactor. */
    private static void byCode(StringBuilder text, String name, String help, String label, ServerStats server,
            Function<ServerStats, Map<Integer, Long>> counts) {
        family(text, "wsreactor_" + name, help, false);
        counts.apply(server).forEach((code, count) -> sample(text, "wsreactor_" + name,
                label + "=\"" + code + "\"", Long.toString(count)));
        family(text, "wsreactor_reactor_" + name, help, false);
        List<ServerStats> reactors = server.reactors();
        for (int i = 0; i < reactors.size(); i++) {
            String reactor = "reactor=\"" + i + "\"," + label + "=\"";
            counts.apply(reactors.get(i)).forEach((code, count) -> sample(text, "wsreactor_reactor_" + name,
                    reactor + code + "\"", Long.toString(count)));
        }
    }

    /** The format's HELP escapes: backslash and line feed. */
    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
