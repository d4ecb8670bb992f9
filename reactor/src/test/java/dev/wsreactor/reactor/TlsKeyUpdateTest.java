package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.3 KeyUpdate (RFC 8446 §4.6.3) in the middle of an open session: the engine's handshake status changes
 * without a handshake, which the reactor, trusting each wrap's and unwrap's result while the session is open,
 * must follow, answering each request with its own KeyUpdate at once, even with no data of its own to send. The
 * client runs in a JVM of its own, the only way to lower its engine's key limit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsKeyUpdateTest {

    @TempDir
    static Path dir;

    @Test
    void everyKeyUpdateRequestIsAnsweredAtOnceEvenWithNothingToSend() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Path limits = dir.resolve("key-limits.security");
        // A KeyUpdate, asking for ours, after every 4 KiB the client encrypts: about 120 in this run.
        Files.writeString(limits, "jdk.tls.keyLimits=AES/GCM/NoPadding KeyUpdate 4096\n");
        WebSocketHandler keepsBinaryEchoesText = new WebSocketHandler() {
            @Override
            public void onText(Session session, String text) {
                session.sendText(text);
            }
        };
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(keepsBinaryEchoesText)
                .daemon(true)
                .tls(certs.server(certs.serverEc)).build().start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = dir.resolve("client.txt");
            Process child = new ProcessBuilder(java, "-Djava.security.properties=" + limits, "-Djavax.net.debug=ssl:handshake",
                    "-cp", System.getProperty("java.class.path") + File.pathSeparator + testClasses(),
                    KeyUpdatingClient.class.getName(), String.valueOf(server.port()), "500", "1000")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean exited = child.waitFor(90, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(exited, "the client finished: " + output);
            assertEquals(0, child.exitValue(), output);
            assertTrue(output.contains("echoed"), output);
            // The client's debug log, one line per KeyUpdate it produced, and per one it consumed (the server's
            // answers): all of them before it sent the one message echoed, not queued behind that echo.
            String beforeEcho = output.substring(0, output.indexOf("waited"));
            long produced = beforeEcho.lines().filter(line -> line.contains("Produced KeyUpdate")).count();
            long consumed = beforeEcho.lines().filter(line -> line.contains("Consuming KeyUpdate")).count();
            assertTrue(produced >= 100, "the client sent " + produced + " KeyUpdates");
            assertTrue(consumed >= 100, "the server answered " + consumed + " KeyUpdates");
            assertEquals(0, server.stats().tlsFailures());
        }
    }

    /** Where this class was loaded from, for a class path that surefire hands over in a manifest jar. */
    private static String testClasses() throws Exception {
        return Path.of(TlsKeyUpdateTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
