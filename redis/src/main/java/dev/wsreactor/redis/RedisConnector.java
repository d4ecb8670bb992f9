package dev.wsreactor.redis;

import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * Opens connections to one Redis: its URI ({@code redis://[user:password@]host:port[/database]}, or
 * {@code rediss://} for TLS, as Jedis reads them) with the bus's timeouts.
 */
final class RedisConnector {

    private final URI uri;
    private final JedisClientConfig config;
    private final long healthCheckNanos;

    RedisConnector(URI uri, Duration timeout, Duration healthCheck, String clientName) {
        this.uri = uri;
        int millis = Math.toIntExact(timeout.toMillis());
        this.config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .clientName(clientName)
                .build();
        this.healthCheckNanos = healthCheck.toNanos();
    }

    /** {@return a connection, connected when first used} */
    Jedis open() {
        return new Jedis(uri, config);
    }

    /** {@return how often an idle connection is pinged, in nanoseconds} */
    long healthCheckNanos() {
        return healthCheckNanos;
    }

    @Override
    public String toString() {
        return uri.getHost() + ":" + uri.getPort();
    }
}
