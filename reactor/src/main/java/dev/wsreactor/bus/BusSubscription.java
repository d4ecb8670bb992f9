package dev.wsreactor.bus;

/** One subscriber's interest in one topic; closing it stops the deliveries (one already queued may still run). */
public interface BusSubscription extends AutoCloseable {

    /** {@return the topic subscribed to} */
    String topic();

    /** Stops the deliveries to this subscriber; closing twice does nothing. */
    @Override
    void close();
}
