/**
 * A broadcast bus: publish a message to a topic, and every subscriber of the topic, on this node and (with a bus
 * that crosses the network, such as the optional {@code wsreactor-redis} module's) on every other node, gets it.
 *
 * <p>The library's own implementation is {@link dev.wsreactor.bus.InProcessBus}, for one process. A subscriber
 * names the {@link java.util.concurrent.Executor} its messages are delivered on, typically
 * {@code server::execute} or {@code session::execute}, so a message reaches a reactor only through the reactor's
 * task queue and a bus never blocks a reactor's loop.
 */
package dev.wsreactor.bus;
