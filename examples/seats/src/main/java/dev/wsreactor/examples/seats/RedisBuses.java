package dev.wsreactor.examples.seats;

import dev.wsreactor.bus.Bus;
import dev.wsreactor.redis.RedisBus;
import java.net.URI;
import java.time.Duration;

/** The bus a cluster node tells the others on: over the same Redis as the seats. */
final class RedisBuses {

    private RedisBuses() {
    }

    static Bus connect(URI redis, String node) {
        // Quick to notice a lost Redis and to come back: a node rebuilds its view once the bus has reconnected.
        return RedisBus.builder(redis).nodeId(node).timeout(Duration.ofSeconds(1))
                .healthCheck(Duration.ofMillis(500)).reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .build();
    }
}
