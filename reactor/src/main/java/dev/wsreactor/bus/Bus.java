package dev.wsreactor.bus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Publish and subscribe by topic, the same on one node ({@link InProcessBus}) as across nodes (a bus over a broker,
 * such as the optional {@code wsreactor-redis} module's {@code RedisBus}).
 *
 * <p>Delivery is at most once and in publishing order per publisher and topic; a subscriber that joins after a
 * publish does not get it, and a bus over a broker loses what is published while the broker is unreachable (the
 * future says so). What must survive that (a seat sold, say) belongs in a store; the bus only says that it changed.
 * Every method may be called from any thread and none of them blocks.
 */
public interface Bus extends AutoCloseable {

    /**
     * Publishes a message to every subscriber of the topic.
     *
     * @param topic the topic: any non-empty string
     * @param message the message: the buffer's remaining bytes, copied before this returns
     * @return completes when the message has been handed on (delivered to this node's subscribers' executors, or
     *     written to the broker), exceptionally if it could not be (the bus is closed, the broker is unreachable, the
     *     queue for the broker is full)
     */
    CompletableFuture<Void> publish(String topic, ByteBuffer message);

    /**
     * Publishes a text message (UTF-8) to every subscriber of the topic.
     *
     * @param topic the topic
     * @param text the message
     * @return as {@link #publish(String, ByteBuffer)}
     */
    default CompletableFuture<Void> publish(String topic, String text) {
        return publish(topic, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Subscribes a listener to a topic.
     *
     * @param topic the topic
     * @param deliverOn where the listener runs: for example {@code server::execute}, which runs it on a reactor
     *     thread through the reactor's task queue, one message at a time and in order
     * @param listener what to do with each message
     * @return the subscription, to close when done
     */
    BusSubscription subscribe(String topic, Executor deliverOn, BusListener listener);

    /** {@return the bus's counters so far} */
    BusStats stats();

    /** Closes the bus: later publishes fail, subscriptions get nothing more. */
    @Override
    void close();
}
