package dev.wsreactor.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisBusBuilderTest {

    @Test
    void onlyARedisUriWithAHostIsTaken() {
        assertThrows(IllegalArgumentException.class, () -> RedisBus.builder(URI.create("http://127.0.0.1:6379")));
        assertThrows(IllegalArgumentException.class, () -> RedisBus.builder(URI.create("redis:opaque")));
        assertThrows(NullPointerException.class, () -> RedisBus.builder(null));
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        RedisBus.Builder builder = RedisBus.builder(URI.create("redis://127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> builder.reconnectBackoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> builder.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> builder.publishQueue(0));
        assertThrows(IllegalArgumentException.class, () -> builder.timeout(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> builder.nodeId("n".repeat(256)));
    }

    @Test
    void theNodeIdIsTheOneGiven() {
        try (RedisBus bus = RedisBus.builder(URI.create("redis://127.0.0.1:1")).nodeId("node a").build()) {
            assertEquals("node a", bus.nodeId());
        }
    }
}
