package dev.wsreactor.examples.seats;

import dev.wsreactor.bus.Bus;
import java.net.URI;

/** The bus a cluster node tells the others on: over the same Redis as the seats. */
final class RedisBuses {

    private RedisBuses() {
    }

    static Bus connect(URI redis, String node) {
        throw new UnsupportedOperationException("no Redis bus in this build");
    }
}
