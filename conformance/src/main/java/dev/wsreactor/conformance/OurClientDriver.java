package dev.wsreactor.conformance;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.handshake.ExtensionOffer;
import dev.wsreactor.reactor.Session;
import dev.wsreactor.reactor.WebSocketClient;
import dev.wsreactor.reactor.WebSocketHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Our {@link WebSocketClient} as Autobahn's client drivers use a client: ask the case count, run every case
 * echoing what arrives, then ask for the reports. Works against Autobahn's own fuzzingserver as well as ours; with
 * ours, in the same process, it knows each case and offers in groups 12 and 13 what the case's client offers.
 */
final class OurClientDriver {

    private static final long CASE_LIMIT_SECONDS = 120;

    private OurClientDriver() {
    }

    /** Runs every case with our client's default offers (against Autobahn's fuzzingserver, say). */
    static void run(URI base, String agent) throws Exception {
        run(base, agent, number -> null);
    }

    /**
     * Runs every case; {@code offerOfCase} gives case N's permessage-deflate offers as the case's client makes
     * them ({@code Sec-WebSocket-Extensions}, several separated by commas), or null for our client's default.
     */
    static void run(URI base, String agent, IntFunction<String> offerOfCase) throws Exception {
        Map<String, WebSocketClient> clients = new HashMap<>(); // one per offer: a handful in all
        try {
            WebSocketClient plain = client(null);
            clients.put("", plain);
            Echo count = new Echo(false);
            connectAndAwaitClose(plain, base.resolve("/getCaseCount"), count);
            int cases = Integer.parseInt(count.firstText.get(5, TimeUnit.SECONDS));
            String encodedAgent = URLEncoder.encode(agent, StandardCharsets.UTF_8);
            for (int i = 1; i <= cases; i++) {
                String offer = offerOfCase.apply(i);
                WebSocketClient client = clients.computeIfAbsent(offer == null ? "" : offer, OurClientDriver::client);
                connectAndAwaitClose(client, base.resolve("/runCase?case=" + i + "&agent=" + encodedAgent),
                        new Echo(true));
            }
            connectAndAwaitClose(plain, base.resolve("/updateReports?agent=" + encodedAgent), new Echo(false));
        } finally {
            clients.values().forEach(WebSocketClient::close);
        }
    }

    /** Our client, offering {@code offer}'s elements (null or empty: its default offer). */
    private static WebSocketClient client(String offer) {
        WebSocketClient.Builder builder = WebSocketClient.builder().maxMessageSize(64L << 20)
                .writeQueueLimits(8L << 20, 32L << 20, 256L << 20);
        if (offer != null && !offer.isEmpty()) {
            builder.compressionOffers(ExtensionOffer.parseAll(List.of(offer)).stream()
                    .map(ExtensionOffer::toHeaderValue).toArray(String[]::new));
        }
        return builder.build();
    }

    private static void connectAndAwaitClose(WebSocketClient client, URI uri, Echo handler) throws Exception {
        try {
            client.connect(uri, handler).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException refused) {
            return; // the case judges what it saw; a refused handshake is part of that
        }
        handler.closed.get(CASE_LIMIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Echoes every message (when asked to), remembers the first text, completes when the session closes. */
    private static final class Echo implements WebSocketHandler {
        final CompletableFuture<String> firstText = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final boolean echo;

        Echo(boolean echo) {
            this.echo = echo;
        }

        @Override
        public void onText(Session session, String text) {
            firstText.complete(text);
            if (echo) {
                session.sendText(text);
            }
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            if (echo) {
                session.sendBinary(data);
            }
        }

        @Override
        public void onClose(Session session, CloseCode code, String reason) {
            closed.complete(null);
        }
    }
}
