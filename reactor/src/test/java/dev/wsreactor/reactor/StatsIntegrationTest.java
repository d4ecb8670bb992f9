package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/** The counters as stats() and a JMX console see them: one enum, the same figures in both. */
class StatsIntegrationTest {

    /** The attributes the MXBean has always had; consoles and scripts know them by these names. */
    private static final List<String> ATTRIBUTES = List.of("ConnectionsAccepted", "ConnectionsOpen", "SessionsOpen",
            "HandshakesRejected", "MessagesReceived", "MessagesSent", "BytesRead", "BytesWritten", "ProtocolErrors",
            "SlowConsumersClosed", "HandlerErrors", "AcceptErrors", "TlsHandshakes", "TlsFailures", "CloseCodes");

    @Test
    void everyCounterIsAnAttributeNamedAfterIt() {
        Set<String> names = new HashSet<>();
        for (Counter counter : Counter.values()) {
            assertTrue(names.add(counter.attributeName()), "unique: " + counter);
        }
        assertEquals("TlsFailures", Counter.TLS_FAILURES.attributeName());
        assertEquals("ConnectionsAccepted", Counter.CONNECTIONS_ACCEPTED.attributeName());
    }

    @Test
    void theMxBeanShowsWhatStatsShows() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name;
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .registerMBean(true).build().start()) {
            name = new ObjectName("dev.wsreactor:type=WebSocketServer,port=" + server.port());
            Set<String> attributes = new HashSet<>();
            for (MBeanAttributeInfo info : jmx.getMBeanInfo(name).getAttributes()) {
                assertTrue(info.isReadable() && !info.isWritable(), info.getName());
                attributes.add(info.getName());
            }
            assertTrue(attributes.containsAll(ATTRIBUTES), "missing: " + ATTRIBUTES + " in " + attributes);
            for (Counter counter : Counter.values()) {
                assertTrue(attributes.contains(counter.attributeName()), counter.toString());
            }
            try (JdkClient client = JdkClient.connect(server.port())) {
                client.send("counted");
                assertEquals("counted", client.nextText());
                client.socket.sendClose(4321, "counted").join();
                RecordingHandler.await(handler.closed);
            }
            Eventually.until(() -> server.stats().closeCodes().containsKey(4321), "the close counted");
            ServerStats stats = server.stats();
            assertEquals(1L, jmx.getAttribute(name, "MessagesReceived"));
            assertEquals(stats.get(Counter.MESSAGES_SENT), jmx.getAttribute(name, "MessagesSent"));
            assertEquals(stats.bytesRead(), jmx.getAttribute(name, "BytesRead"));
            assertEquals(stats.get(Counter.CONNECTIONS_ACCEPTED), jmx.getAttribute(name, "ConnectionsAccepted"));
            TabularData codes = assertInstanceOf(TabularData.class, jmx.getAttribute(name, "CloseCodes"));
            CompositeData row = codes.get(new Object[] {4321});
            assertEquals(1L, row.get("value"));
        }
        assertFalse(jmx.isRegistered(name), "unregistered when the server closes");
    }
}
