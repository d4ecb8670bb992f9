package dev.wsreactor.examples.seats;

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
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server as a child process on a free loopback port, its data in a directory of the test's with every
 * write on disk before it is acknowledged (append-only file, fsync always), as a store of sales must be:
 * {@link #kill} is a crash (SIGKILL), and {@link #start} again on the same port comes back with every sale. Tests
 * are skipped only when redis-server is not installed ({@code make system-deps} installs it).
 */
final class RedisServer implements AutoCloseable {

    private final String executable;
    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(String executable, int port, Path dir) {
        this.executable = executable;
        this.port = port;
        this.dir = dir;
    }

    static RedisServer startOrSkip(Path dir) throws IOException, InterruptedException {
        String executable = find();
        assumeTrue(executable != null, "redis-server is not installed (make system-deps installs Debian's)");
        RedisServer redis = new RedisServer(executable, freePort(), dir);
        redis.start();
        return redis;
    }

    URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Starts redis-server and waits (at most 10 s) until it answers PING. */
    void start() throws IOException, InterruptedException {
        Path log = dir.resolve("redis.log");
        process = new ProcessBuilder(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", "always")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("redis-server did not start on port " + port + ": " + Files.readString(log));
            }
            process.waitFor(20, TimeUnit.MILLISECONDS); // polling a child's readiness, bounded by the deadline
        }
    }

    /** SIGKILL: no goodbye to its clients, nothing flushed that was not flushed already. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    static String find() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(entry, "redis-server");
            if (!entry.isEmpty() && candidate.canExecute()) {
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
