package dev.wsreactor.examples.chat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who holds which token: a small in-memory map standing in for a database. Each lookup answers on another thread
 * after a delay, as a query over the network would, so the server's handshake has to wait for it.
 */
public final class TokenStore {

    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final Executor later;
    private final AtomicInteger lookups = new AtomicInteger();

    /**
     * A store whose lookups take this long.
     *
     * @param delay how long each lookup takes
     */
    public TokenStore(Duration delay) {
        this.later = CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Gives a user a token.
     *
     * @param token the token the user will present
     * @param user the user's name
     * @return this store
     */
    public TokenStore add(String token, String user) {
        users.put(token, user);
        return this;
    }

    /**
     * Looks a token up; the answer comes later, on a thread of the store's.
     *
     * @param token the token presented
     * @return the user who holds it, or empty
     */
    public CompletionStage<Optional<String>> userOf(String token) {
        lookups.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> Optional.ofNullable(users.get(token)), later);
    }

    /**
     * How many lookups were asked for so far.
     *
     * @return the count
     */
    public int lookups() {
        return lookups.get();
    }
}
