package dev.wsreactor.examples.seats;

import dev.wsreactor.examples.seats.SeatMap.State;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The cluster's store: the seats in Redis, every booking one Lua script ({@code redis/*.lua} beside this class),
 * which Redis runs alone from start to end, so two nodes can never both sell one seat. Jedis blocks, so the calls
 * run on this store's own thread, never on a reactor's.
 */
final class RedisSeatStore implements SeatStore {

    /** A script and its SHA-1, for EVALSHA (EVAL when Redis has forgotten it, after a restart). */
    private record Script(String text, String sha) {
    }

    private static final int TIMEOUT_MILLIS = 1000;

    private final JedisPooled redis;
    private final List<String> keys;
    private final long holdMillis;
    private final int maxHoldsPerClient;
    private final ExecutorService worker;
    private final Script hold = script("hold");
    private final Script release = script("release");
    private final Script confirm = script("confirm");
    private final Script expire = script("expire");
    private final Script snapshot = script("snapshot");

    /**
     * @param uri {@code redis://host:port}
     * @param prefix before every key: {@code seats} gives {@code seats:map} and {@code seats:version}
     */
    RedisSeatStore(URI uri, String prefix, long holdMillis, int maxHoldsPerClient) {
        this.redis = new JedisPooled(uri, TIMEOUT_MILLIS);
        this.keys = List.of(prefix + ":map", prefix + ":version");
        this.holdMillis = holdMillis;
        this.maxHoldsPerClient = maxHoldsPerClient;
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "seats-redis");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public CompletableFuture<SeatChange> hold(String seat, String owner) {
        return change(hold, "held", seat, owner, Long.toString(holdMillis), Integer.toString(maxHoldsPerClient));
    }

    @Override
    public CompletableFuture<SeatChange> release(String seat, String owner) {
        return change(release, "released", seat, owner);
    }

    @Override
    public CompletableFuture<SeatChange> confirm(String seat, String owner) {
        return change(confirm, "sold", seat, owner);
    }

    @Override
    public CompletableFuture<SeatChange> expire(String seat, long holdVersion) {
        return change(expire, "expired", seat, Long.toString(holdVersion));
    }

    @Override
    public CompletableFuture<Snapshot> snapshot() {
        return CompletableFuture.supplyAsync(() -> {
            List<?> out = (List<?>) run(snapshot);
            List<SeatChange> taken = new ArrayList<>();
            for (int i = 1; i + 5 <= out.size(); i += 5) {
                taken.add(new SeatChange(text(out, i), state(text(out, i + 1)), text(out, i + 2),
                        Long.parseLong(text(out, i + 3)), Long.parseLong(text(out, i + 4)), "held"));
            }
            return new Snapshot(Long.parseLong(text(out, 0)), taken);
        }, worker);
    }

    @Override
    public CompletableFuture<Long> version() {
        return CompletableFuture.supplyAsync(() -> {
            String value = redis.get(keys.get(1));
            return value == null ? 0L : Long.parseLong(value);
        }, worker);
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        redis.close();
    }

    /** Runs a booking script: {@code ok} and the change, {@code no} and why, {@code stale}, or {@code wait}. */
    private CompletableFuture<SeatChange> change(Script script, String cause, String... args) {
        CompletableFuture<SeatChange> result = new CompletableFuture<>();
        worker.execute(() -> {
            try {
                List<?> out = (List<?>) run(script, args);
                switch (text(out, 0)) {
                    case "ok" -> result.complete(new SeatChange(args[0], state(text(out, 1)),
                            text(out, 2).isEmpty() ? null : text(out, 2), Long.parseLong(text(out, 3)),
                            Long.parseLong(text(out, 4)), cause));
                    case "no" -> result.completeExceptionally(new SeatMap.Rejected(text(out, 1)));
                    case "stale" -> result.complete(null);
                    case "wait" -> result.completeExceptionally(new NotYet(Long.parseLong(text(out, 1))));
                    default -> result.completeExceptionally(new IllegalStateException("script said " + out));
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private Object run(Script script, String... args) {
        try {
            return redis.evalsha(script.sha(), keys, List.of(args));
        } catch (JedisNoScriptException forgotten) {
            return redis.eval(script.text(), keys, List.of(args));
        }
    }

    private static String text(List<?> out, int i) {
        Object value = out.get(i);
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static State state(String name) {
        return State.valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The shared functions, then the script's own body: Redis has no includes. */
    private static Script script(String name) {
        String text = resource("common") + "\n" + resource(name);
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
            return new Script(text, java.util.HexFormat.of().formatHex(digest));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = RedisSeatStore.class.getResourceAsStream("redis/" + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script redis/" + name + ".lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
