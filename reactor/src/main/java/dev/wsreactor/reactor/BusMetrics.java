package dev.wsreactor.reactor;

import dev.wsreactor.bus.BusStats;

/**
 * A bus's figures as {@code wsreactor_bus_*} families for the metrics endpoint: its counters, whether it is
 * connected, and the lag from publishing to the listener as a summary (median, 99th percentile, sum, count) with
 * the last and largest beside it, in seconds.
 */
final class BusMetrics {

    private BusMetrics() {
    }

    static void render(StringBuilder text, BusStats bus) {
        counter(text, "published", "messages published through the bus and handed on", bus.published());
        counter(text, "received", "messages the bus received for its subscribers", bus.received());
        counter(text, "failed", "publishes that failed: bus closed, broker unreachable, queue full", bus.failed());
        counter(text, "reconnects", "times the bus connected to its broker again after losing it", bus.reconnects());
        gauge(text, "connected", "1 when the bus can publish (is connected to its broker), else 0",
                bus.connected() ? "1" : "0");
        String lag = "wsreactor_bus_lag_seconds";
        text.append("# HELP ").append(lag).append(" from publishing to the listener's start, across nodes by their"
                + " clocks: quantiles since the bus started, within 12.5%\n");
        text.append("# TYPE ").append(lag).append(" summary\n");
        MetricsEndpoint.sample(text, lag, "quantile=\"0.5\"", seconds(bus.lagP50Nanos()));
        MetricsEndpoint.sample(text, lag, "quantile=\"0.99\"", seconds(bus.lagP99Nanos()));
        MetricsEndpoint.sample(text, lag + "_sum", "", seconds(bus.lagSumNanos()));
        MetricsEndpoint.sample(text, lag + "_count", "", Long.toString(bus.lagCount()));
        gauge(text, "lag_last_seconds", "the bus's lag for its last delivery", seconds(bus.lastLagNanos()));
        gauge(text, "lag_max_seconds", "the bus's largest lag so far", seconds(bus.maxLagNanos()));
    }

    private static void counter(StringBuilder text, String name, String help, long value) {
        String family = "wsreactor_bus_" + name + "_total";
        MetricsEndpoint.family(text, family, help, false);
        MetricsEndpoint.sample(text, family, "", Long.toString(value));
    }

    private static void gauge(StringBuilder text, String name, String help, String value) {
        String family = "wsreactor_bus_" + name;
        MetricsEndpoint.family(text, family, help, true);
        MetricsEndpoint.sample(text, family, "", value);
    }

    private static String seconds(long nanos) {
        return Double.toString(nanos / 1e9);
    }
}
