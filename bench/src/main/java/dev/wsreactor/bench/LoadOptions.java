package dev.wsreactor.bench;

import java.time.Duration;

/** What one {@link LoadGenerator} run is asked to do: its command line, parsed. */
record LoadOptions(String mode, String host, int port, String path, int connections, int threads, int size,
        int depth, boolean binary, boolean deflate, boolean jsonText, Duration duration, Duration warmup,
        Duration hold, boolean json, String trigger, String expect) {

    /** Parses {@code mode [options]}; see {@link LoadGenerator} for the options and their defaults. */
    static LoadOptions parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: LoadGenerator echo|idle|connect|fanout [options]");
        }
        String mode = args[0];
        String host = "127.0.0.1";
        int port = 9001;
        String path = "/";
        int connections = 100;
        int threads = 1;
        int size = 32;
        int depth = 1;
        boolean binary = false;
        boolean deflate = false;
        boolean jsonText = false;
        double duration = 10;
        double warmup = 2;
        double hold = 10;
        boolean json = false;
        String trigger = "{\"type\":\"%s\",\"seat\":\"A1\"}";
        String expect = "seat-changed";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--path" -> path = args[++i];
                case "-c" -> connections = Integer.parseInt(args[++i]);
                case "-t" -> threads = Integer.parseInt(args[++i]);
                case "-s" -> size = Integer.parseInt(args[++i]);
                case "-D" -> depth = Integer.parseInt(args[++i]);
                case "--binary" -> binary = true;
                case "--deflate" -> deflate = true;
                case "--json-text" -> jsonText = true;
                case "-d" -> duration = Double.parseDouble(args[++i]);
                case "-w" -> warmup = Double.parseDouble(args[++i]);
                case "--hold" -> hold = Double.parseDouble(args[++i]);
                case "--json" -> json = true;
                case "--trigger" -> trigger = args[++i];
                case "--expect" -> expect = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!host.startsWith("127.")) {
            throw new IllegalArgumentException("loopback targets only (127.0.0.0/8)");
        }
        return new LoadOptions(mode, host, port, path, connections, Math.max(1, threads), size, depth, binary,
                deflate, jsonText, Duration.ofMillis((long) (duration * 1000)),
                Duration.ofMillis((long) (warmup * 1000)), Duration.ofMillis((long) (hold * 1000)), json, trigger,
                expect);
    }
}
