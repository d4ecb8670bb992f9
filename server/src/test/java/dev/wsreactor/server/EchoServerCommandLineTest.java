package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The echo server as {@code make run} starts it: what a plain HTTP client (curl) sees, and its stats page. */
class EchoServerCommandLineTest {

    @Test
    void aPlainRequestGets426SayingWhatToSendInstead() throws Exception {
        try (ChildServer child = ChildServer.start(1024); RawClient curl = new RawClient(child.port)) {
            curl.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n");
            String response = curl.readUntilClosed();
            assertTrue(response.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), response);
            // RFC 9110 §15.5.22: a 426 names the protocol to upgrade to; RFC 6455 §4.4 the version we speak.
            assertTrue(response.contains("\r\nUpgrade: websocket\r\n"), response);
            assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
            assertTrue(response.contains("connect with a WebSocket client to ws://"), response);
        }
    }

    @Test
    void itsStatsPageHasEveryCounter() throws Exception {
        try (ChildServer child = ChildServer.start(1024)) {
            Map<String, Long> stats = SlowConsumerTest.stats(child.port);
            for (Counter counter : Counter.values()) {
                assertTrue(stats.containsKey(counter.attributeName()), counter + " in " + stats);
            }
            assertEquals(1, stats.get("ConnectionsHandshaking"), "the stats request itself, as it is answered");
        }
    }

    @Test
    void anUnknownOptionExitsWith2() throws Exception {
        Process bad = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), EchoServer.class.getName(), "--no-such")
                .redirectErrorStream(true).start();
        String output = new String(bad.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(2, bad.waitFor(), output);
        assertTrue(output.contains("unknown option: --no-such"), output);
    }
}
