package dev.wsreactor.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server as a child process on a free loopback port, with nothing saved to disk unless given a data
 * directory (the seat example's cluster tests use this class too, from this module's test jar); {@link #stop} kills
 * it and {@link #start} starts it again on the same port, as a Redis restart. Tests that need it are skipped only
 * when redis-server is not installed ({@code make system-deps} installs it).
 */
public final class RedisProcess implements AutoCloseable {

    private final String executable;
    private final int port;
    private final Path log;
    private final Path dataDir; // where a persistent one keeps its append-only file, or null: nothing kept
    private Process process;

    private RedisProcess(String executable, int port, Path log, Path dataDir) {
        this.executable = executable;
        this.port = port;
        this.log = log;
        this.dataDir = dataDir;
    }

    /**
     * Starts one that keeps nothing, or skips the test with a clear message when redis-server is not installed.
     *
     * @return the running redis-server
     * @throws IOException if it does not start
     * @throws InterruptedException if interrupted while waiting for it
     */
    public static RedisProcess startOrSkip() throws IOException, InterruptedException {
        return startOrSkip(null);
    }

    /**
     * Starts one that writes every change to an append-only file in {@code dataDir} before answering (fsync
     * always), so that one killed and started again comes back with everything; or skips the test, as above.
     *
     * @param dataDir where its file goes; null for one that keeps nothing
     * @return the running redis-server
     * @throws IOException if it does not start
     * @throws InterruptedException if interrupted while waiting for it
     */
    public static RedisProcess startOrSkip(Path dataDir) throws IOException, InterruptedException {
        String executable = find();
        assumeTrue(executable != null, "redis-server is not installed (make system-deps installs Debian's)");
        Path log = Files.createTempFile("redis-server", ".log");
        RedisProcess redis = new RedisProcess(executable, freePort(), log, dataDir);
        redis.start();
        return redis;
    }

    /** {@return where it listens, as a redis:// URI} */
    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** {@return the port it listens on} */
    public int port() {
        return port;
    }

    /**
     * Starts redis-server (again, on the same port) and waits (at most 10 s) until it answers PING.
     *
     * @throws IOException if it does not start
     * @throws InterruptedException if interrupted while waiting
     */
    public void start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable, "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", ""));
        command.addAll(dataDir == null ? List.of("--appendonly", "no")
                : List.of("--dir", dataDir.toString(), "--appendonly", "yes", "--appendfsync", "always"));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("redis-server did not start on port " + port + ": "
                        + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(20); // polling a child process's readiness, bounded by the deadline
        }
    }

    /** Kills redis-server (SIGKILL: no goodbye to its clients) and waits (at most 10 s) until it has gone. */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /**
     * Freezes (SIGSTOP) or thaws (SIGCONT) redis-server: its sockets stay open, and a frozen one answers nothing.
     *
     * @param signal STOP or CONT
     * @throws IOException if kill fails
     * @throws InterruptedException if interrupted while waiting for kill
     */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " failed");
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, "redis-server");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        File debian = new File("/usr/bin/redis-server");
        return debian.canExecute() ? debian.getPath() : null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
