package dev.wsreactor.bench;

import dev.wsreactor.bench.BenchRunner.Sample;
import dev.wsreactor.bench.BenchRunner.Scenario;
import dev.wsreactor.bench.BenchRunner.Server;
import dev.wsreactor.reactor.ServerStats;
import dev.wsreactor.reactor.WebSocketServer;
import dev.wsreactor.server.EchoServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Several reactors, measured three ways. The server and the load generator share every core (nothing is pinned:
 * two reactors need both), so rates are distorted by the load generator's own CPU; CPU per message, the server
 * process's time from {@code /proc} divided by the messages, is less so.
 *
 * <pre>
 * java -cp 'bench/target/classes:bench/target/lib/*' dev.wsreactor.bench.ReactorsBench
 *     [compare|curve|balance] [--reactors 1,2] [--accept reuseport,handoff] [--scenarios small,pipelined]
 *     [--rounds 3] [--duration 10] [--connections 100] [--load-threads 2] [--wsload path/to/wsload]
 * </pre>
 *
 * <ul>
 *   <li>{@code compare} (default): ours with each reactor count against Netty tuned (native epoll, a write per
 *       frame and a flush per read batch) with as many event loops, servers alternating round by round; medians
 *       and ratios.</li>
 *   <li>{@code curve}: ours alone at each reactor count (default 1, 2, 4, 8, 16) and accept mode, as CSV: the
 *       scaling curve, for a machine with the cores to show one.</li>
 *   <li>{@code balance}: ours in this JVM, each accept mode, the load run against it, then how evenly the reactors
 *       shared the connections, the messages and the CPU (each reactor thread's CPU time).</li>
 * </ul>
 */
public final class ReactorsBench {

    private static final int FIRST_PORT = 9311;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ReactorsBench() {
    }

    public static void main(String[] args) throws Exception {
        int first = args.length > 0 && !args[0].startsWith("--") ? 1 : 0;
        String mode = first == 1 ? args[0] : "compare";
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--reactors", switch (mode) {
            case "curve" -> "1,2,4,8,16";
            case "balance" -> "2,4";
            default -> "1,2";
        });
        options.put("--accept", mode.equals("compare") ? "reuseport" : "reuseport,handoff");
        options.put("--scenarios", mode.equals("curve") ? "pipelined" : "small,pipelined");
        options.put("--rounds", mode.equals("compare") ? "3" : "1");
        options.put("--duration", "10");
        options.put("--load-threads", "2");
        options.put("--connections", "100");
        options.put("--wsload", "");
        for (int i = first; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        List<Integer> reactors = Arrays.stream(options.get("--reactors").split(",")).map(Integer::valueOf).toList();
        List<String> accepts = List.of(options.get("--accept").split(","));
        String wsload = options.get("--wsload").isBlank() ? null : options.get("--wsload");
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : options.get("--scenarios").split(",")) {
            scenarios.add(scenario(name, options.get("--connections"), options.get("--load-threads")));
        }
        int rounds = Integer.parseInt(options.get("--rounds"));
        int duration = Integer.parseInt(options.get("--duration"));
        System.out.println("load generator: " + (wsload == null ? "LoadGenerator (Java)" : "wsload") + " with "
                + options.get("--load-threads") + " threads; server and load share all "
                + Runtime.getRuntime().availableProcessors() + " cores (not pinned); " + rounds + " rounds of "
                + duration + " s; JVM " + System.getProperty("java.version"));
        switch (mode) {
            case "compare" -> compare(servers(reactors, accepts, true), scenarios, rounds, duration, wsload);
            case "curve" -> curve(servers(reactors, accepts, false), scenarios, rounds, duration, wsload);
            case "balance" -> balance(reactors, accepts, scenarios, duration, wsload);
            default -> throw new IllegalArgumentException("mode: compare, curve or balance, not " + mode);
        }
    }

    /** The benchmark's small-message scenarios, on this many connections, the load spread over this many threads. */
    private static Scenario scenario(String name, String connections, String loadThreads) {
        return new Scenario(name, switch (name) {
            case "small" -> new String[] {"echo", "-c", connections, "-s", "32", "-D", "1", "-t", loadThreads};
            case "pipelined" -> new String[] {"echo", "-c", connections, "-s", "32", "-D", "16", "--binary", "-t",
                loadThreads};
            default -> throw new IllegalArgumentException("scenario: small or pipelined, not " + name);
        }, false);
    }

    private static List<Server> servers(List<Integer> reactors, List<String> accepts, boolean withNetty) {
        List<Server> servers = new ArrayList<>();
        for (int n : reactors) {
            for (String accept : accepts) {
                String name = "wsreactor" + (accepts.size() > 1 ? "-" + accept : "") + "-" + n;
                servers.add(new Server(name, EchoServer.class.getName(), FIRST_PORT + servers.size(),
                        List.of("--reactors", Integer.toString(n), "--accept", accept)));
            }
            if (withNetty) {
                servers.add(new Server("netty-epoll-" + n, "dev.wsreactor.bench.peers.NettyEpollEcho",
                        FIRST_PORT + servers.size(), List.of(Integer.toString(n))));
            }
        }
        return servers;
    }

    /** Every server in every scenario, alternating; the medians, then ours against Netty and each against itself. */
    private static void compare(List<Server> servers, List<Scenario> scenarios, int rounds, int duration,
            String wsload) throws Exception {
        Map<String, Map<String, Sample>> medians = measureAll(servers, scenarios, rounds, duration, wsload);
        System.out.println();
        System.out.println("| scenario | server | msgs/s | CPU us/msg | p50 us | p99 us |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        medians.forEach((scenario, byServer) -> byServer.forEach((server, s) -> System.out.printf(Locale.ROOT,
                "| %s | %s | %.0f | %.2f | %.0f | %.0f |%n", scenario, server, s.rate(), s.cpuMicrosPerOp(), s.p50(),
                s.p99())));
        System.out.println();
        System.out.println("ratios in one run (rate: higher is better; CPU per message: lower is better)");
        medians.forEach((scenario, byServer) -> {
            for (String server : byServer.keySet()) {
                String reactors = server.substring(server.lastIndexOf('-') + 1);
                if (server.startsWith("wsreactor-")) {
                    ratio(scenario, server, byServer.get(server), "netty-epoll-" + reactors,
                            byServer.get("netty-epoll-" + reactors));
                }
                if (!reactors.equals("1")) {
                    String single = server.substring(0, server.lastIndexOf('-') + 1) + "1";
                    ratio(scenario, server, byServer.get(server), single, byServer.get(single));
                }
            }
        });
    }

    private static void ratio(String scenario, String server, Sample s, String other, Sample peer) {
        if (peer != null) {
            System.out.printf(Locale.ROOT, "%-10s %-16s vs %-16s rate %.2fx, CPU per message %.2fx%n", scenario,
                    server, other, s.rate() / peer.rate(), s.cpuMicrosPerOp() / peer.cpuMicrosPerOp());
        }
    }

    /** The scaling curve as CSV, one line per reactor count, accept mode and scenario. */
    private static void curve(List<Server> servers, List<Scenario> scenarios, int rounds, int duration,
            String wsload) throws Exception {
        Map<String, Map<String, Sample>> medians = measureAll(servers, scenarios, rounds, duration, wsload);
        System.out.println();
        System.out.println("scenario,reactors,accept,msgs_per_s,cpu_us_per_msg,p50_us,p99_us");
        for (Server server : servers) {
            for (Scenario scenario : scenarios) {
                Sample s = medians.get(scenario.name()).get(server.name());
                System.out.printf(Locale.ROOT, "%s,%s,%s,%.0f,%.3f,%.0f,%.0f%n", scenario.name(), server.args().get(1),
                        server.args().get(3), s.rate(), s.cpuMicrosPerOp(), s.p50(), s.p99());
            }
        }
    }

    private static Map<String, Map<String, Sample>> measureAll(List<Server> servers, List<Scenario> scenarios,
            int rounds, int duration, String wsload) throws Exception {
        Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Scenario scenario : scenarios) {
                for (Server server : servers) {
                    Sample sample = BenchRunner.run(server, scenario, duration, wsload, false, false);
                    System.out.printf(Locale.ROOT, "round %d %-10s %-26s %s%n", round, scenario.name(), server.name(),
                            BenchRunner.describe(scenario, sample));
                    samples.computeIfAbsent(scenario.name(), s -> new LinkedHashMap<>())
                            .computeIfAbsent(server.name(), s -> new ArrayList<>()).add(sample);
                }
            }
        }
        Map<String, Map<String, Sample>> medians = new LinkedHashMap<>();
        samples.forEach((scenario, byServer) -> byServer.forEach((server, list) -> medians
                .computeIfAbsent(scenario, s -> new LinkedHashMap<>()).put(server, BenchRunner.median(list))));
        return medians;
    }

    /** Ours in this JVM: after each run, how the reactors shared the connections, the messages and the CPU. */
    private static void balance(List<Integer> reactors, List<String> accepts, List<Scenario> scenarios,
            int duration, String wsload) throws Exception {
        System.out.println();
        System.out.println("| scenario | reactors | accept | connections per reactor | messages, max/mean | "
                + "reactor CPU, max/mean |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (Scenario scenario : scenarios) {
            for (int n : reactors) {
                if (n < 2) {
                    continue; // one reactor has nothing to balance
                }
                for (String accept : accepts) {
                    int port = FIRST_PORT;
                    try (WebSocketServer server = EchoServer.builder("127.0.0.1", port).reactors(n)
                            .reusePort(accept.equals("reuseport")).daemon(true).build().start()) {
                        Server target = new Server("in-process", EchoServer.class.getName(), port, List.of());
                        long[] cpuBefore = reactorCpu(port, n);
                        BenchRunner.load(target, scenario, wsload, false, duration, 0, true);
                        long[] cpu = reactorCpu(port, n);
                        List<ServerStats> each = server.stats().reactors();
                        double[] cpuUsed = new double[n];
                        for (int i = 0; i < n; i++) {
                            cpuUsed[i] = cpu[i] - cpuBefore[i];
                        }
                        System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %.2f | %.2f |%n", scenario.name(), n,
                                accept, each.stream().map(r -> Long.toString(r.connectionsAccepted())).toList(),
                                maxOverMean(each, ServerStats::messagesReceived), maxOverMean(cpuUsed));
                    }
                }
            }
        }
    }

    /** CPU time of each reactor thread of the server on this port, found by name. */
    private static long[] reactorCpu(int port, int reactors) {
        long[] cpu = new long[reactors];
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String prefix = "wsreactor-" + port + "-";
            if (thread.getName().startsWith(prefix)) {
                cpu[Integer.parseInt(thread.getName().substring(prefix.length()))] =
                        THREADS.getThreadCpuTime(thread.getId());
            }
        }
        return cpu;
    }

    private static double maxOverMean(List<ServerStats> each, ToDoubleFunction<ServerStats> figure) {
        return maxOverMean(each.stream().mapToDouble(figure).toArray());
    }

    private static double maxOverMean(double[] values) {
        double max = Arrays.stream(values).max().orElse(0);
        double mean = Arrays.stream(values).average().orElse(0);
        return mean > 0 ? max / mean : Double.NaN;
    }
}
