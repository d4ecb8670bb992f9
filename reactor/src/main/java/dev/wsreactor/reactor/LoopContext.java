package dev.wsreactor.reactor;

import dev.wsreactor.protocol.MessageDeflater;
import java.nio.ByteBuffer;

/**
 * What every connection of one loop shares, handed to each as it is accepted.
 *
 * @param loop the loop itself, as its connections see it
 * @param settings the server's settings
 * @param pool the direct buffers outgoing frames are encoded into
 * @param sharedDeflater one compressor for every connection (reset per message), or null: safe because only the
 *     loop's thread uses it
 * @param tls what TLS connections share, or null when the server speaks plain TCP
 * @param readBuffer the loop's one direct read buffer: the protocol consumes every byte of it before the next
 *     read, so a plain connection owns no input memory
 * @param server the server a client's connection talks to (its TLS engine names and verifies it); null on a
 *     server, whose one context every connection of the reactor shares
 */
record LoopContext(Loop loop, ServerSettings settings, DirectBufferPool pool, MessageDeflater sharedDeflater,
        TlsSupport tls, ByteBuffer readBuffer, ClientTarget server) {
}
