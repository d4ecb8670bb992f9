package dev.wsreactor.reactor;

import java.nio.ByteBuffer;

/**
 * A handler that takes messages part by part as their frames arrive, instead of whole: implementing it is the
 * opt-in. A large message then never has to fit in memory at once, and its first bytes are at hand before its
 * last ones arrive. The rules still hold: text parts are checked UTF-8 as they come (1007 at the first bad byte,
 * and a part never ends inside a code point), the message size limit still counts the whole message (1009), and
 * a compressed message's parts are its inflated bytes. {@link #onText} and {@link #onBinary} are not called.
 *
 * <p>Parts come one call at a time, in wire order, on the session's reactor thread, as for every handler call;
 * Pings and Pongs arriving between a message's frames are delivered between its parts.
 */
public interface StreamingHandler extends WebSocketHandler {

    /**
     * The next part of a text message.
     *
     * @param session the session it arrived on
     * @param part whole characters, possibly none (the last part of a message often is empty)
     * @param last whether the message ends with this part
     */
    void onTextPart(Session session, CharSequence part, boolean last);

    /**
     * The next part of a binary message. The buffer belongs to the reactor and is valid only during this call.
     *
     * @param session the session it arrived on
     * @param part the bytes, between position and limit
     * @param last whether the message ends with this part
     */
    void onBinaryPart(Session session, ByteBuffer part, boolean last);
}
