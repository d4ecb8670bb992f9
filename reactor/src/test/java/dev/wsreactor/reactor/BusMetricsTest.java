package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.bus.InProcessBus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A bus's figures on the metrics endpoint: the {@code wsreactor_bus_*} families, with the lag as a summary. */
class BusMetricsTest {

    private static final Pattern META = Pattern.compile("# (HELP|TYPE) (wsreactor_bus_[a-z_]+) \\S.*");
    private static final Pattern SAMPLE = Pattern.compile(
            "(wsreactor_bus_[a-z_]+)(\\{quantile=\"0\\.(?:5|99)\"\\})? ([0-9]+(?:\\.[0-9]+)?(?:E-?[0-9]+)?)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aServersMetricsCarryItsBusesFigures() throws Exception {
        InProcessBus bus = new InProcessBus();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(new WebSocketHandler() { })
                .metricsEndpoint("/metrics").metricsBus(bus).build().start()) {
            CountDownLatch delivered = new CountDownLatch(3);
            bus.subscribe("t", server::execute, (topic, message) -> delivered.countDown());
            for (int i = 0; i < 3; i++) {
                bus.publish("t", "m" + i);
            }
            assertTrue(delivered.await(10, TimeUnit.SECONDS));

            Map<String, Double> open = scrape(server);
            assertEquals(3, open.get("wsreactor_bus_published_total"));
            assertEquals(3, open.get("wsreactor_bus_received_total"));
            assertEquals(0, open.get("wsreactor_bus_failed_total"));
            assertEquals(0, open.get("wsreactor_bus_reconnects_total"));
            assertEquals(1, open.get("wsreactor_bus_connected"));
            assertEquals(3, open.get("wsreactor_bus_lag_seconds_count"));
            double max = open.get("wsreactor_bus_lag_max_seconds");
            double p99 = open.get("wsreactor_bus_lag_seconds{quantile=\"0.99\"}");
            assertTrue(max > 0 && p99 > 0 && p99 <= max, "p99 " + p99 + ", max " + max);
            assertTrue(open.get("wsreactor_bus_lag_seconds{quantile=\"0.5\"}") <= p99);
            assertTrue(open.get("wsreactor_bus_lag_seconds_sum") >= max);
            assertTrue(open.get("wsreactor_bus_lag_last_seconds") <= max);

            bus.close();
            bus.publish("t", "after the close");
            Map<String, Double> closed = scrape(server);
            assertEquals(0, closed.get("wsreactor_bus_connected"));
            assertEquals(1, closed.get("wsreactor_bus_failed_total"));
        }
    }

    @Test
    void withoutABusThereAreNoBusFamilies() {
        String text = MetricsEndpoint.render(new ServerStats(new long[Counter.values().length], Map.of(), Map.of()), null);
        assertFalse(text.contains("wsreactor_bus_"), "no bus, no bus families");
    }

    /** The bus's samples of one scrape, every bus line checked against the text format on the way. */
    private static Map<String, Double> scrape(WebSocketServer server) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (!line.contains("wsreactor_bus_")) {
                continue;
            }
            Matcher meta = META.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches()) {
                String key = sample.group(1) + (sample.group(2) == null ? "" : sample.group(2));
                assertEquals(null, samples.put(key, Double.parseDouble(sample.group(3))), "once: " + line);
            } else {
                assertTrue(meta.matches(), "a line of the text format: " + line);
            }
        }
        assertTrue(response.body().contains("# TYPE wsreactor_bus_lag_seconds summary\n"));
        return samples;
    }
}
