package dev.wsreactor.reactor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The echo server in a child JVM, started by a shell that first lowers its limit of open files: what a test needs
 * to exhaust file descriptors without touching the test's own JVM. Every line the child prints is kept.
 */
final class ChildServer implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on wss?://[^:]+:(\\d+)/");

    final Process process;
    final int port;
    /** Every line of the child's stdout and stderr, in order of arrival. */
    final List<String> lines;

    private ChildServer(Process process, int port, List<String> lines) {
        this.process = process;
        this.port = port;
        this.lines = lines;
    }

    /** Starts {@link TestEchoServer} on a free port with at most {@code maxOpenFiles} descriptors and these flags. */
    static ChildServer start(int maxOpenFiles, String... options) throws IOException, InterruptedException {
        return start(TestEchoServer.class, maxOpenFiles, options);
    }

    /** As {@link #start(int, String...)}, with a main class that starts the echo server its own way. */
    static ChildServer start(Class<?> main, int maxOpenFiles, String... options)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("bash", "-c",
                "ulimit -n " + maxOpenFiles + " && exec \"$0\" \"$@\"", java, "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), main.getName(), "--port", "0"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // The child is gone; what it printed is kept.
            }
            port.completeExceptionally(new AssertionError("the server exited before listening: " + lines));
        }, "child-server-output");
        reader.setDaemon(true);
        reader.start();
        int bound;
        try {
            bound = port.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("the child server did not start: " + lines, e);
        }
        return new ChildServer(process, bound, lines);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
