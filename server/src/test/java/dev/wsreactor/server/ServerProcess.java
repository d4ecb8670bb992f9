package dev.wsreactor.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A program of this module in a child JVM, as a user starts it: its output kept line by line, its port read off. */
final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on wss?://[^:]+:(\\d+)/");

    final Process process;
    /** Every line of the child's stdout and stderr, in order of arrival. */
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader = new Thread(this::keepOutput, "server-process-output");

    private ServerProcess(Process process) {
        this.process = process;
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} with these arguments on this JVM's class path. */
    static ServerProcess start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Starts the echo server on a free port with these options and waits until it listens. */
    static ServerProcess echo(String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        args.addAll(List.of(options));
        ServerProcess server = start(EchoServer.class, args.toArray(String[]::new));
        server.port();
        return server;
    }

    private void keepOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // The child is gone; what it printed is kept.
        }
    }

    /** The port its "listening on" line names, waiting up to 30 s for the line. */
    int port() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            if (!process.isAlive() && process.waitFor(1, TimeUnit.SECONDS)) {
                throw new AssertionError("the server exited with " + process.exitValue() + ": " + lines);
            }
            Thread.sleep(20); // polling the output, bounded by the deadline
        }
        throw new AssertionError("the server did not say it listens: " + lines);
    }

    /** Waits up to 30 s for the process to end, and its status. */
    int exitStatus() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the process did not exit: " + lines);
        }
        return process.exitValue();
    }

    /** Everything it printed until it ended (a program that exits by itself), waiting up to 30 s. */
    String output() throws InterruptedException {
        exitStatus();
        reader.join(TimeUnit.SECONDS.toMillis(10)); // it ends at the end of the output
        return String.join("\n", lines) + "\n";
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: a graceful stop, given 10 s before SIGKILL
        process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(slow -> process.destroyForcibly()).join();
    }
}
