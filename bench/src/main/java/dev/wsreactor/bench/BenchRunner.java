package dev.wsreactor.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `make bench`: each echo server (ours; Netty tuned, on its native epoll transport with a flush per read batch;
 * Netty as most users write it, NIO and {@code writeAndFlush} per frame; Java-WebSocket; and, when given, a C
 * echo server as the ceiling of what one core does) pinned to core 1, the load generator pinned to core 0, every
 * scenario, servers alternating round by round; prints the medians and the ratios against tuned Netty, the C
 * ceiling and the rest.
 *
 * <pre>
 * java -cp 'bench/target/classes:bench/target/lib/*' dev.wsreactor.bench.BenchRunner
 *     [--rounds 3] [--duration 10] [--servers wsreactor,netty-tuned,netty,java-websocket,ceiling]
 *     [--scenarios small,pipelined,...]
 *     [--wsload path/to/wsload]     (the C load generator; default: our LoadGenerator)
 *     [--ceiling path/to/wsecho]    (a C echo server taking its port as its argument; default: none)
 *     [--java path/to/java]         (the JVM the Java servers run on; default: this one)
 * </pre>
 */
public final class BenchRunner {

    /** A server to start: its main class, its port (its first argument), and any further arguments. */
    record Server(String name, String mainClass, int port, List<String> args) {
    }

    record Scenario(String name, String[] load, boolean idle) {
    }

    record Sample(double rate, double cpuMicrosPerOp, double p50, double p99, double rssKibPerConnection,
            double heapBytesPerConnection) {
    }

    /** The C ceiling's stand-in main class: the program given with --ceiling runs instead of a JVM. */
    static final String NATIVE = "native";

    private static final List<Server> SERVERS = List.of(
            // The idle scenario opens its 10,000 connections at once: more than the default maxHandshaking admits.
            new Server("wsreactor", "dev.wsreactor.server.EchoServer", 9301, List.of("--max-handshaking", "20000")),
            new Server("netty-tuned", "dev.wsreactor.bench.peers.NettyEpollEcho", 9304, List.of()),
            new Server("netty", "dev.wsreactor.bench.peers.NettyEcho", 9302, List.of()),
            new Server("java-websocket", "dev.wsreactor.bench.peers.JavaWebSocketEcho", 9303, List.of()),
            new Server("ceiling", NATIVE, 9305, List.of()));

    /** The peers every row is compared with, in the table's order. */
    private static final List<String> COMPARED_WITH = List.of("netty-tuned", "ceiling", "netty", "java-websocket");

    private static String ceiling; // the C echo server's program, or null: that column is left out
    private static String java = javaBin();

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("small", new String[] {"echo", "-c", "100", "-s", "32", "-D", "1"}, false),
            new Scenario("pipelined", new String[] {"echo", "-c", "100", "-s", "32", "-D", "16", "--binary"}, false),
            new Scenario("bandwidth", new String[] {"echo", "-c", "10", "-s", "65536", "-D", "4", "--binary"}, false),
            new Scenario("handshakes", new String[] {"connect", "-c", "50"}, false),
            new Scenario("idle", new String[] {"idle", "-c", "10000"}, true));

    private static final String JVM_HEAP = "-Xmx1g";
    private static final int MEASURED_WARMUP_SECONDS = 2;

    private BenchRunner() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int duration = 10;
        String wsload = null;
        boolean firstBurst = false;
        List<String> servers = SERVERS.stream().map(Server::name).toList();
        List<String> scenarios = SCENARIOS.stream().map(Scenario::name).toList();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--duration" -> duration = Integer.parseInt(args[++i]);
                case "--wsload" -> wsload = args[++i].isBlank() ? null : args[i];
                case "--servers" -> servers = Arrays.asList(args[++i].split(","));
                case "--scenarios" -> scenarios = Arrays.asList(args[++i].split(","));
                case "--first-burst" -> firstBurst = true;
                case "--ceiling" -> ceiling = args[++i].isBlank() ? null : args[i];
                case "--java" -> java = args[++i].isBlank() ? javaBin() : args[i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (ceiling == null) {
            servers = servers.stream().filter(name -> !name.equals("ceiling")).toList();
        }
        boolean pinned = Files.isExecutable(Path.of("/usr/bin/taskset"));
        System.out.println("load generator: " + (wsload == null ? "LoadGenerator (Java)" : wsload)
                + "; " + (pinned ? "server on core 1, load on core 0" : "taskset missing: NOT pinned")
                + "; " + rounds + " rounds of " + duration + " s; servers' JVM " + javaVersion(java)
                + (ceiling == null ? "; no C ceiling (--ceiling)" : "; C ceiling " + ceiling));
        Map<String, Map<String, List<Sample>>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Scenario scenario : SCENARIOS) {
                if (!scenarios.contains(scenario.name())) {
                    continue;
                }
                for (Server server : SERVERS) {
                    if (!servers.contains(server.name())) {
                        continue;
                    }
                    Sample sample = run(server, scenario, duration, wsload, pinned, firstBurst);
                    System.out.printf(Locale.ROOT, "round %d %-10s %-15s %s%n", round, scenario.name(), server.name(),
                            describe(scenario, sample));
                    results.computeIfAbsent(scenario.name(), s -> new LinkedHashMap<>())
                            .computeIfAbsent(server.name(), s -> new ArrayList<>()).add(sample);
                }
            }
        }
        printTable(results);
    }

    static String describe(Scenario scenario, Sample s) {
        if (scenario.idle()) {
            return String.format(Locale.ROOT, "%.2f KiB RSS, %.0f bytes of live heap per connection",
                    s.rssKibPerConnection(), s.heapBytesPerConnection());
        }
        return String.format(Locale.ROOT, "%.0f/s, %.2f us CPU per op, p50 %.0f us, p99 %.0f us", s.rate(),
                s.cpuMicrosPerOp(), s.p50(), s.p99());
    }

    /** Starts the server, warms it up, and measures one run of the scenario (pinned: server core 1, load core 0). */
    static Sample run(Server server, Scenario scenario, int duration, String wsload, boolean pinned,
            boolean firstBurst) throws Exception {
        List<String> command = new ArrayList<>();
        if (pinned) {
            command.addAll(List.of("taskset", "-c", "1"));
        }
        boolean jvm = !server.mainClass().equals(NATIVE);
        if (jvm) {
            command.addAll(List.of(java, JVM_HEAP));
            if (scenario.idle()) {
                // The live-heap figure comes from full GCs, which by default leave some dead objects in dense regions.
                command.add("-XX:MarkSweepDeadRatio=0");
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), server.mainClass()));
        } else {
            command.add(ceiling);
        }
        if (server.mainClass().equals("dev.wsreactor.server.EchoServer")) {
            command.addAll(List.of("--port", Integer.toString(server.port())));
        } else {
            command.add(Integer.toString(server.port()));
        }
        command.addAll(server.args());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitPort(server.port());
            if (scenario.idle()) {
                return idle(server, scenario, wsload, pinned, firstBurst, process.pid(), jvm);
            }
            load(server, scenario, wsload, pinned, 3, 0, false); // warm-up: JIT and pools
            // The measured run warms its own connections up first (MEASURED_WARMUP_SECONDS, not measured by the
            // load generator either), so connection set-up stays out of both the latencies and the CPU figure.
            Process measured = startLoad(server, scenario, wsload, pinned, duration, 0, true);
            Thread.sleep(MEASURED_WARMUP_SECONDS * 1000L); // a measuring window, not a synchronisation
            long ticksBefore = cpuTicks(process.pid());
            String json = new String(measured.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            measured.waitFor();
            long ticksAfter = cpuTicks(process.pid());
            double rate = number(json, "rate");
            double seconds = number(json, "seconds");
            double cpuSeconds = (ticksAfter - ticksBefore) / 100.0; // USER_HZ
            double perOp = rate > 0 ? cpuSeconds * 1e6 / (rate * seconds) : 0;
            return new Sample(rate, perOp, number(json, "p50_us"), number(json, "p99_us"), 0, 0);
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Memory per idle connection, two ways. RSS: the growth of VmRSS while the connections are held, after a warm-up.
     * Live heap: what a full GC keeps while they are held, less what it keeps once they are gone; unlike RSS it does
     * not depend on how many heap pages the collector happened to touch for the first time during the burst.
     */
    private static Sample idle(Server server, Scenario scenario, String wsload, boolean pinned, boolean firstBurst,
            long pid, boolean jvm) throws Exception {
        int connections = Integer.parseInt(scenario.load()[2]);
        // Steady state: the same connections opened, held and closed once before, so what is measured is what
        // holding them costs, not the JIT's scratch memory (tens of MiB, transient) nor heap pages the JVM touches
        // for the first time during the first burst (that first-burst figure is the one with a 200-connection
        // warm-up, which --first-burst measures).
        int warm = firstBurst ? 200 : connections;
        load(server, new Scenario("warm", new String[] {"idle", "-c", Integer.toString(warm)}, true), wsload, pinned,
                3, 3, false);
        long before = rssKib(pid);
        Process holder = startLoad(server, scenario, wsload, pinned, 14, 14, true);
        long peak = before;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(9);
        while (System.nanoTime() < deadline && holder.isAlive()) {
            peak = Math.max(peak, rssKib(pid));
            Thread.sleep(200); // sampling another process's memory: there is nothing to wait on instead
        }
        String json;
        if (!jvm) { // no heap to weigh: RSS only
            json = new String(holder.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            holder.waitFor();
            double open = number(json, "open_at_end");
            return new Sample(0, 0, 0, 0, open > 0 ? (peak - before) / open : Double.NaN, Double.NaN);
        }
        Histogram held = Histogram.of(pid); // after the RSS window: a full GC may move the RSS
        json = new String(holder.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        holder.waitFor();
        double open = number(json, "open_at_end");
        Histogram empty = Histogram.of(pid);
        // The server closes its side just after; a few channels a server never closes are not worth waiting for.
        for (int i = 0; i < 50 && empty.socketChannels() > open / 100; i++) {
            Thread.sleep(100); // polling another process: there is nothing to wait on instead
            empty = Histogram.of(pid);
        }
        return new Sample(0, 0, 0, 0, open > 0 ? (peak - before) / open : Double.NaN,
                open > 0 && empty.socketChannels() <= open / 100 ? (held.bytes() - empty.bytes()) / open : Double.NaN);
    }

    /** A class histogram of another JVM's live objects (jcmd GC.class_histogram runs a full GC first). */
    private record Histogram(long bytes, long socketChannels) {

        static Histogram of(long pid) throws IOException, InterruptedException {
            Process jcmd = new ProcessBuilder(Path.of(java).resolveSibling("jcmd").toString(),
                    Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
            long bytes = 0;
            long channels = 0;
            for (String line : new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3 && f[0].equals("Total")) {
                    bytes = Long.parseLong(f[2]);
                } else if (f.length >= 4 && f[3].equals("sun.nio.ch.SocketChannelImpl")) {
                    channels = Long.parseLong(f[1]);
                }
            }
            jcmd.waitFor();
            return new Histogram(bytes, channels);
        }
    }

    static String load(Server server, Scenario scenario, String wsload, boolean pinned, int seconds,
            int hold, boolean json) throws Exception {
        Process process = startLoad(server, scenario, wsload, pinned, seconds, hold, json);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }

    private static Process startLoad(Server server, Scenario scenario, String wsload, boolean pinned, int seconds,
            int hold, boolean json) throws IOException {
        List<String> command = new ArrayList<>();
        if (pinned) {
            command.addAll(List.of("taskset", "-c", "0"));
        }
        if (wsload != null) {
            command.add(wsload);
        } else {
            command.addAll(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
                    LoadGenerator.class.getName()));
        }
        command.addAll(Arrays.asList(scenario.load()));
        int warmup = json && !scenario.idle() ? MEASURED_WARMUP_SECONDS : 0;
        command.addAll(List.of("--port", Integer.toString(server.port()), "-w", Integer.toString(warmup),
                "-d", Integer.toString(seconds)));
        if (hold > 0) {
            command.addAll(List.of("--hold", Integer.toString(hold)));
        }
        if (json) {
            command.add("--json");
        }
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void printTable(Map<String, Map<String, List<Sample>>> results) {
        System.out.println();
        // Rates compare higher-is-better; the CPU ratio (lower is better) is the one that counts where all are
        // limited by the load generator or the system calls.
        StringBuilder header = new StringBuilder("| scenario | server | median rate | CPU us/op | p50 us | p99 us | "
                + "RSS KiB/conn | live heap B/conn |");
        COMPARED_WITH.forEach(peer -> header.append(" vs ").append(peer).append(" (rate, CPU) |"));
        System.out.println(header);
        System.out.println("|" + " --- |".repeat(8 + COMPARED_WITH.size()));
        for (Map.Entry<String, Map<String, List<Sample>>> scenario : results.entrySet()) {
            Map<String, Sample> medians = new LinkedHashMap<>();
            scenario.getValue().forEach((server, samples) -> medians.put(server, median(samples)));
            boolean idle = scenario.getKey().equals("idle");
            for (Map.Entry<String, Sample> entry : medians.entrySet()) {
                Sample s = entry.getValue();
                StringBuilder ratios = new StringBuilder();
                COMPARED_WITH.forEach(peer -> ratios.append(' ').append(ratio(s, medians.get(peer), idle)).append(" |"));
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%s%n", scenario.getKey(),
                        entry.getKey(), idle ? "" : String.format(Locale.ROOT, "%.0f", s.rate()),
                        idle ? "" : String.format(Locale.ROOT, "%.2f", s.cpuMicrosPerOp()),
                        idle ? "" : String.format(Locale.ROOT, "%.0f", s.p50()),
                        idle ? "" : String.format(Locale.ROOT, "%.0f", s.p99()),
                        idle ? String.format(Locale.ROOT, "%.2f", s.rssKibPerConnection()) : "",
                        idle ? String.format(Locale.ROOT, "%.0f", s.heapBytesPerConnection()) : "", ratios);
            }
        }
    }

    /** Throughput ratio (higher is better), or for memory the ratios of RSS and of live heap (lower is better). */
    private static String ratio(Sample s, Sample peer, boolean idle) {
        if (peer == null) {
            return "";
        }
        if (idle) {
            double heap = s.heapBytesPerConnection() / peer.heapBytesPerConnection();
            return String.format(Locale.ROOT, "RSS %.2fx", s.rssKibPerConnection() / peer.rssKibPerConnection())
                    + (Double.isFinite(heap) ? String.format(Locale.ROOT, ", heap %.2fx", heap) : "");
        }
        return String.format(Locale.ROOT, "%.2fx, CPU %.2fx", s.rate() / peer.rate(),
                s.cpuMicrosPerOp() / peer.cpuMicrosPerOp());
    }

    static Sample median(List<Sample> samples) {
        return new Sample(median(samples, Sample::rate), median(samples, Sample::cpuMicrosPerOp),
                median(samples, Sample::p50), median(samples, Sample::p99),
                median(samples, Sample::rssKibPerConnection), median(samples, Sample::heapBytesPerConnection));
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> field) {
        double[] values = samples.stream().mapToDouble(field).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\\s*([-0-9.eE]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime (fields 14 and 15)
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    private static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("server on port " + port + " did not start", e);
                }
                Thread.sleep(50); // another process is starting: nothing to wait on instead
            }
        }
    }

    private static String javaVersion(String javaBin) {
        try {
            Process version = new ProcessBuilder(javaBin, "-version").redirectErrorStream(true).start();
            String first = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElse("?");
            version.waitFor();
            return first;
        } catch (IOException | InterruptedException e) {
            return javaBin + " (" + e + ")";
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
