package dev.wsreactor.bus;

import java.nio.ByteBuffer;

/** What a subscriber does with each message published to its topic. */
@FunctionalInterface
public interface BusListener {

    /**
     * A message published to the topic, on the executor named when subscribing.
     *
     * @param topic the topic it was published to
     * @param message the message's bytes: a read-only buffer that is never reused, which the listener may keep and
     *     which every subscriber shares (so read it through {@link ByteBuffer#duplicate()} if others may read it
     *     concurrently)
     */
    void onMessage(String topic, ByteBuffer message);
}
