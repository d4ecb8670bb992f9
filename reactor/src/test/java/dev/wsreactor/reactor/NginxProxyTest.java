package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through a real nginx (Debian's, which {@code make test} installs), started as the current user on loopback
 * with its configuration, pid and logs in a temporary directory: as an HTTP reverse proxy that adds
 * {@code Forwarded} and {@code X-Forwarded-For}, and, where its stream module is there, as a TCP proxy that sends
 * a PROXY header. nginx connects from 127.0.0.3 ({@code proxy_bind}), the client from 127.0.0.1, so the two
 * addresses differ. Skipped, saying so, only when nginx is not installed.
 */
class NginxProxyTest {

    private static final String PROXY_ADDRESS = "127.0.0.3";
    private static final Duration PING_INTERVAL = Duration.ofMillis(500);

    @TempDir
    static Path dir;
    static RecordingHandler behindHttp = new RecordingHandler();
    static RecordingHandler behindStream = new RecordingHandler();
    static WebSocketServer httpBackend;
    static WebSocketServer streamBackend;
    static Process nginx;
    static int httpPort;
    static int streamPort;
    static boolean streamModule;

    @BeforeAll
    static void startNginx() throws Exception {
        Path binary = nginxBinary();
        Assumptions.assumeTrue(binary != null, "nginx is not installed, neither in /usr/sbin nor on the PATH"
                + " (`make test` installs Debian's nginx and libnginx-mod-stream packages): skipping the nginx tests");
        Path streamSo = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
        String version = new String(new ProcessBuilder(binary.toString(), "-V").redirectErrorStream(true).start()
                .getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean builtIn = version.contains("--with-stream ") || version.contains("--with-stream\n");
        streamModule = builtIn || Files.exists(streamSo);
        httpBackend = WebSocketServer.builder().bind("127.0.0.1", 0).handler(behindHttp).daemon(true)
                .trustedProxies(PROXY_ADDRESS).pingInterval(PING_INTERVAL).build().start();
        streamBackend = WebSocketServer.builder().bind("127.0.0.1", 0).handler(behindStream).daemon(true)
                .trustedProxies(PROXY_ADDRESS).proxyProtocol(ProxyProtocol.REQUIRED).build().start();
        httpPort = freePort();
        streamPort = freePort();
        String config = config(streamModule && !builtIn ? "load_module " + streamSo + ";\n" : null);
        Files.writeString(dir.resolve("nginx.conf"), config);
        nginx = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        awaitListening(httpPort);
        if (streamModule) {
            awaitListening(streamPort);
        }
    }

    @AfterAll
    static void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.destroy(); // SIGTERM: nginx's fast shutdown
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (WebSocketServer server : new WebSocketServer[] {httpBackend, streamBackend}) {
            if (server != null) {
                server.close();
            }
        }
    }

    private static String config(String loadStream) {
        String temp = dir.toString();
        String http = """
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 64; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            proxy_pass http://127.0.0.1:%3$d;
                            proxy_bind %4$s;
                            proxy_http_version 1.1;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection $connection_upgrade;
                            proxy_set_header Host $host;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_set_header Forwarded "for=\\"$remote_addr:$remote_port\\";proto=$scheme";
                            proxy_read_timeout 3s;
                        }
                        location /xff {
                            proxy_pass http://127.0.0.1:%3$d;
                            proxy_bind %4$s;
                            proxy_http_version 1.1;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection $connection_upgrade;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_read_timeout 3s;
                        }
                    }
                }
                """.formatted(temp, httpPort, httpBackend.port(), PROXY_ADDRESS);
        if (loadStream == null && !streamModule) {
            return http;
        }
        String stream = """
                stream {
                    server {
                        listen 127.0.0.1:%1$d;
                        proxy_pass 127.0.0.1:%2$d;
                        proxy_bind %3$s;
                        proxy_protocol on;
                    }
                }
                """.formatted(streamPort, streamBackend.port(), PROXY_ADDRESS);
        return (loadStream == null ? "" : loadStream) + http + stream;
    }

    /** Debian's place for it first (not on a normal user's PATH), then the PATH; null if there is none. */
    private static Path nginxBinary() {
        java.util.List<Path> candidates = new java.util.ArrayList<>(java.util.List.of(Path.of("/usr/sbin/nginx")));
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                candidates.add(Path.of(entry, "nginx"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Until nginx accepts on the port, or fails with what its log says. */
    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (!nginx.isAlive() || System.nanoTime() - deadline > 0) {
                    throw new AssertionError("nginx did not start listening on " + port + ": "
                            + Files.readString(dir.resolve("stdout.log")) + read(dir.resolve("error.log")));
                }
                nginx.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static JdkClient connect(String path, String spoofedForwardedFor) {
        JdkClient client = new JdkClient();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(JdkClient.TIMEOUT)
                .header("X-Forwarded-For", spoofedForwardedFor)
                .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + path), client)
                .orTimeout(20, TimeUnit.SECONDS).join();
        return client;
    }

    @Test
    void forwardedThroughTheHttpProxyOutlivesItsReadTimeout() throws Exception {
        try (JdkClient client = connect("/", "198.51.100.66")) {
            Session session = RecordingHandler.await(behindHttp.opened);
            assertEquals(InetAddress.getByName(PROXY_ADDRESS), session.remoteAddress().getAddress());
            assertEquals(InetAddress.getByName("127.0.0.1"), session.clientAddress().getAddress());
            assertTrue(session.clientAddress().getPort() > 0, "nginx's Forwarded carries the client's port");
            assertEquals("ws", session.clientScheme());
            assertTrue(session.request().header("X-Forwarded-For").startsWith("198.51.100.66, "),
                    "the client's own X-Forwarded-For is there, and left of nginx's hop");
            client.send("through nginx");
            assertEquals("through nginx", client.nextText());
            // Past nginx's 3 s read timeout on an idle connection: our keepalive Pings keep it open.
            long idleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() - idleUntil < 0) {
                assertTrue(client.events.poll(idleUntil - System.nanoTime(), TimeUnit.NANOSECONDS) == null,
                        "nothing but Pings while idle");
            }
            client.send("still there");
            assertEquals("still there", client.nextText());
        }
    }

    @Test
    void xForwardedForAloneTheSpoofedHopIgnored() throws Exception {
        try (JdkClient client = connect("/xff", "198.51.100.66")) {
            Session session = RecordingHandler.await(behindHttp.opened);
            assertEquals(InetAddress.getByName("127.0.0.1"), session.clientAddress().getAddress(),
                    "the rightmost untrusted hop, not what the client wrote");
            client.send("echo");
            assertEquals("echo", client.nextText());
        }
    }

    @Test
    void proxyProtocolThroughTheStreamProxy() throws Exception {
        Assumptions.assumeTrue(streamModule, "nginx has no stream module here (libnginx-mod-stream): skipping");
        try (RawClient client = RawClient.open(streamPort)) {
            Session session = RecordingHandler.await(behindStream.opened);
            assertEquals(InetAddress.getByName(PROXY_ADDRESS), session.remoteAddress().getAddress());
            assertEquals(client.socket.getLocalSocketAddress(), session.clientAddress(),
                    "the PROXY header names the client's own address and port");
            client.writeFrame(dev.wsreactor.protocol.Opcode.TEXT, true, "tcp".getBytes(StandardCharsets.UTF_8));
            assertEquals("tcp", client.readFrame().text());
        }
    }
}
