package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.handshake.HandshakeRejection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The metrics endpoint as Prometheus reads it: every line well-formed (format 0.0.4), each family's HELP and TYPE
 * before its samples, counters that never go down between scrapes, figures that agree with {@code stats()}, and
 * each reactor's series adding up to the server's.
 */
class MetricsEndpointTest {

    private static final Pattern HELP = Pattern.compile("# HELP (wsreactor_[a-z_]+) \\S.*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (wsreactor_[a-z_]+) (counter|gauge)");
    private static final Pattern SAMPLE = Pattern.compile(
            "(wsreactor_[a-z_]+)(?:\\{((?:[a-z_]+=\"[^\"\\\\\\n]*\",?)+)\\})? (-?[0-9]+(?:\\.[0-9]+)?(?:E-?[0-9]+)?)");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Parses a scrape into "name{labels}" → value, checking every line on the way. */
    private static Map<String, Double> parse(String body) {
        Map<String, Double> samples = new HashMap<>();
        Set<String> typed = new HashSet<>();
        Set<String> helped = new HashSet<>();
        assertTrue(body.endsWith("\n"), "the last line ends too");
        for (String line : body.split("\n")) {
            Matcher help = HELP.matcher(line);
            Matcher type = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (help.matches()) {
                assertTrue(helped.add(help.group(1)), "one HELP per family: " + line);
            } else if (type.matches()) {
                assertTrue(helped.contains(type.group(1)) && typed.add(type.group(1)), "TYPE after HELP, once: " + line);
                assertEquals(type.group(2).equals("counter"), type.group(1).endsWith("_total"), line);
            } else if (sample.matches()) {
                assertTrue(typed.contains(sample.group(1)), "a sample after its family's TYPE: " + line);
                String key = sample.group(1) + (sample.group(2) == null ? "" : "{" + sample.group(2) + "}");
                assertNull(samples.putIfAbsent(key, Double.parseDouble(sample.group(3))),
                        "one sample per series: " + line);
            } else {
                throw new AssertionError("not a line of the text format: \"" + line + "\"");
            }
        }
        return samples;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void scrapesAreWellFormedMonotonicAndAgreeWithStats() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .reactors(2).reusePort(false).metricsEndpoint("/metrics")
                .handshakeHook(request -> request.path().equals("/forbidden")
                        ? HandshakeRejection.of(403, "not here") : null).build().start()) {
            for (int i = 0; i < 3; i++) {
                try (JdkClient client = JdkClient.connect(server.port())) {
                    client.send("hello " + i);
                    assertEquals("hello " + i, client.nextText());
                }
                RecordingHandler.await(handler.closed);
            }
            assertEquals(426, get(server.port(), "/").statusCode());
            try (RawClient rejected = new RawClient(server.port())) {
                rejected.write(RawClient.UPGRADE_REQUEST.replace("GET / ", "GET /forbidden "));
                assertTrue(rejected.readHead().startsWith("HTTP/1.1 403"));
            }
            Eventually.until(() -> server.stats().get(Counter.CONNECTIONS_OPEN) == 0, "the clients are gone");
            ServerStats before = server.stats();
            HttpResponse<String> response = get(server.port(), "/metrics");
            assertEquals(200, response.statusCode());
            assertEquals(MetricsEndpoint.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElseThrow());
            Map<String, Double> first = parse(response.body());
            Eventually.until(() -> server.stats().get(Counter.CONNECTIONS_OPEN) == 0, "the scrape is over");
            ServerStats after = server.stats();
            for (Counter counter : Counter.values()) {
                String name = "wsreactor_" + (counter == Counter.TLS_TASK_NANOS ? "tls_task_seconds"
                        : counter.name().toLowerCase(java.util.Locale.ROOT)) + (counter.isGauge() ? "" : "_total");
                double scraped = first.get(name);
                double scale = counter == Counter.TLS_TASK_NANOS ? 1e9 : 1;
                if (!counter.isGauge()) {
                    assertTrue(before.get(counter) <= scraped * scale && scraped * scale <= after.get(counter),
                            name + " = " + scraped + " between stats() before and after: " + before + " / " + after);
                }
                double sum = first.get(name.replace("wsreactor_", "wsreactor_reactor_") + "{reactor=\"0\"}")
                        + first.get(name.replace("wsreactor_", "wsreactor_reactor_") + "{reactor=\"1\"}");
                assertEquals(scraped, sum, 1e-9, name + ": the reactors add up to the server");
            }
            assertEquals(3.0, first.get("wsreactor_messages_received_total"));
            assertEquals(3.0, first.get("wsreactor_messages_sent_total"));
            assertEquals(3L, after.closeCodes().values().stream().mapToLong(Long::longValue).sum());
            after.closeCodes().forEach((code, count) -> assertEquals((double) count,
                    first.get("wsreactor_sessions_closed_total{code=\"" + code + "\"}"), "close code " + code));

            assertEquals(1.0, first.get("wsreactor_http_responses_total{status=\"403\"}"));
            assertEquals(1.0, first.get("wsreactor_http_responses_total{status=\"426\"}"));
            assertEquals(first.get("wsreactor_handshakes_rejected_total"), first.get("wsreactor_http_responses_total"
                    + "{status=\"403\"}") + first.get("wsreactor_http_responses_total{status=\"426\"}"));
            assertEquals(Map.of(403, 1L, 426, 1L, 200, 1L), after.httpResponses(), "the scrape is counted after it");

            Map<String, Double> second = parse(get(server.port(), "/metrics").body());
            assertEquals(1.0, second.get("wsreactor_http_responses_total{status=\"200\"}"));
            for (Map.Entry<String, Double> sample : first.entrySet()) {
                String name = sample.getKey().replaceAll("\\{.*", "");
                if (name.endsWith("_total")) {
                    assertTrue(second.get(sample.getKey()) >= sample.getValue(), "monotonic: " + sample.getKey());
                }
            }
            assertTrue(second.get("wsreactor_connections_accepted_total")
                    > first.get("wsreactor_connections_accepted_total"), "the first scrape was a connection too");
        }
    }

    @Test
    void otherPathsAndMethodsAreNotMetrics() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(new RecordingHandler())
                .daemon(true).metricsEndpoint("/metrics").build().start()) {
            assertEquals(426, get(server.port(), "/").statusCode(), "the HTTP handler still answers the rest");
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/metrics")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
        }
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(new RecordingHandler())
                .daemon(true).build().start()) {
            assertEquals(426, get(server.port(), "/metrics").statusCode(), "off unless asked for");
        }
    }
}
