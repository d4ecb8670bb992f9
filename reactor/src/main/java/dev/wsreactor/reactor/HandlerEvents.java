package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.ConnectionListener;
import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * The protocol's listener for one session: its events passed on to the {@link WebSocketHandler} (the server's or
 * its route's, offloaded to the {@code handlerExecutor} when there is one) with the handler's exceptions
 * contained, so that a handler that throws closes its own session with 1011 and nothing else. The session's other
 * half, the commands out, is its {@link ReactorConnection}. Belongs to the loop's thread.
 */
final class HandlerEvents implements ConnectionListener {

    /** How far the handler has been told about this session. */
    private enum Delivery {
        /** Still handshaking: there is nothing to tell yet. */
        NOT_OPENED,
        /** onOpen was called: messages and pings go to the handler. */
        DELIVERING,
        /** The handler threw: it hears nothing more but onClose. */
        HANDLER_FAILED
    }

    private final ReactorConnection session;
    private final SocketDriver driver;
    private final Loop loop;
    /** Who hears this session's events: the application's handler (its route's), or its calls offloaded. */
    private WebSocketHandler handler;
    /** The same, if the application's handler takes messages in parts, else null. */
    private StreamingHandler streaming;
    /** The offloaded calls, with their backlog, when the server has a {@code handlerExecutor}; else null. */
    private OffloadedHandler offloaded;
    private Delivery delivery = Delivery.NOT_OPENED;

    HandlerEvents(ReactorConnection session, SocketDriver driver, Loop loop) {
        this.session = session;
        this.driver = driver;
        this.loop = loop;
    }

    /**
     * The handler this session's events go to: the server's, or (set by {@link HandshakeGate} before the 101) its
     * route's; wrapped to run on the {@code handlerExecutor} when there is one.
     */
    void useHandler(WebSocketHandler chosen) {
        WebSocketHandler application = chosen instanceof ClientSessionHandler opening ? opening.application() : chosen;
        Executor executor = driver.settings.handlerExecutor;
        this.offloaded = executor == null ? null : new OffloadedHandler(chosen, session, loop, executor, driver.settings);
        this.handler = offloaded == null ? chosen : offloaded;
        boolean inParts = application instanceof StreamingHandler;
        this.streaming = !inParts ? null : offloaded == null ? (StreamingHandler) application : offloaded;
    }

    @Override
    public void onOpen() {
        delivery = Delivery.DELIVERING;
        session.sender.opened();
        loop.counters().increment(Counter.SESSIONS_OPEN);
        session.origin.forwarded(session.protocol.request(), driver.settings.proxies, driver.id);
        try {
            handler.onOpen(session);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public void onText(String text) {
        loop.counters().increment(Counter.MESSAGES_RECEIVED);
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            handler.onText(session, text);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        loop.counters().increment(Counter.MESSAGES_RECEIVED);
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            handler.onBinary(session, data);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public boolean receivesParts() {
        return streaming != null;
    }

    @Override
    public void onTextPart(CharSequence part, boolean last) {
        deliverPart(part, last);
    }

    @Override
    public void onBinaryPart(ByteBuffer part, boolean last) {
        deliverPart(part, last);
    }

    /** A part of a message, text (a CharSequence) or binary (a ByteBuffer), for the streaming handler. */
    private void deliverPart(Object part, boolean last) {
        if (last) {
            loop.counters().increment(Counter.MESSAGES_RECEIVED);
        }
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            if (part instanceof ByteBuffer bytes) {
                streaming.onBinaryPart(session, bytes, last);
            } else {
                streaming.onTextPart(session, (CharSequence) part, last);
            }
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            handler.onPing(session, payload);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            handler.onPong(session, payload);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public void onClose(CloseCode code, String reason) {
        loop.counters().sessionClosed(code.value());
        session.sender.closed(code); // every future still waiting fails, before the handler hears of the close
        if (delivery == Delivery.NOT_OPENED) {
            return;
        }
        try {
            handler.onClose(session, code, reason);
        } catch (Throwable error) {
            ReactorLog.warning("session " + driver.id + ": onClose threw", error);
        }
    }

    @Override
    public HttpResponse onHttpRequest(HttpRequest request) {
        try {
            return driver.settings.httpHandler.handle(request);
        } catch (Throwable error) {
            ReactorLog.warning("connection " + driver.id + ": the HTTP handler threw", error);
            return HttpResponse.text(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    /** A valid request: its route and decision, now or (when it takes its time) later, see {@link HandshakeGate}. */
    @Override
    public HandshakeDecision onHandshakeRequest(HttpRequest request) {
        return driver.settings.gate.decide(request, driver);
    }

    /** The session's queue went over the high-water mark and is down to the low-water mark: the handler hears it. */
    void drained() {
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            handler.onWritable(session);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    /** Whether reading waits for the handler: its offloaded calls are over the high-water mark. */
    boolean waitsForHandler() {
        return offloaded != null && offloaded.isBacklogged();
    }

    /** The offloaded calls have drained: the connection is read again at the end of this iteration. */
    void readAgain() {
        loop.markDirty(driver);
    }

    /** A handler threw: log it, tell the application, and close this session alone with 1011. */
    void handlerFailed(Throwable error) {
        delivery = Delivery.HANDLER_FAILED;
        loop.counters().increment(Counter.HANDLER_ERRORS);
        ReactorLog.warning("session " + driver.id + ": the handler threw; closing with 1011", error);
        try {
            handler.onError(session, error);
        } catch (Throwable another) {
            ReactorLog.warning("session " + driver.id + ": onError threw as well", another);
        }
        session.protocol.close(CloseCode.INTERNAL_ERROR, "internal error", loop.now());
        loop.markDirty(driver);
    }
}
