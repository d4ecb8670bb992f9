package dev.wsreactor.conformance;

import dev.wsreactor.protocol.internal.Opcode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Groups 12 and 13: permessage-deflate (RFC 7692), as Autobahn's {@code case12_x_x} runs them. Each case offers
 * what Autobahn's client offers, then sends compressed messages one at a time, each the next slice of a test
 * document (wrapping round at its end), and waits for each echo before the next. Group 12 sends five kinds of
 * document with the default offer; group 13 sends the JSON document under seven offers. The 18 sizes, the
 * fragment sizes and each case's time limit are Autobahn's.
 *
 * <p>The verdict is Autobahn's: UNIMPLEMENTED if the server accepts no offer; FAILED at the first echo whose type,
 * length or digest differs, or if the case does not finish in time; else OK.
 *
 * <p>Autobahn sends 1,000 messages per case; by default these cases send {@value #QUICK_MESSAGES}, so the groups
 * stay part of every build, and {@code --full} sends Autobahn's count. Autobahn's documents are files it ships
 * (a JSON file, an HTML file, Goethe's Faust, a bitmap, a PDF); these are generated with the same kind of content,
 * the same sizes and the same text/binary type ({@link TestDocuments}).
 */
final class CompressionCases {

    private CompressionCases() {
    }

    /** Round trips per case without {@code --full}. */
    static final int QUICK_MESSAGES = 20;
    /** Autobahn's count. */
    static final int FULL_MESSAGES = 1000;

    /** Autobahn's MSG_SIZES: payload length, time limit in seconds, auto-fragment size (0: one frame). */
    private static final int[][] MESSAGE_SIZES = {
        {16, 60, 0}, {64, 60, 0}, {256, 120, 0}, {1024, 240, 0}, {4096, 480, 0}, {8192, 480, 0}, {16384, 480, 0},
        {32768, 480, 0}, {65536, 480, 0}, {131072, 480, 0},
        {8192, 480, 256}, {16384, 480, 256}, {32768, 480, 256}, {65536, 480, 256}, {131072, 480, 256},
        {131072, 480, 1024}, {131072, 480, 4096}, {131072, 480, 32768},
    };

    /** Autobahn's client offer, PerMessageDeflateOffer(): it accepts both no-context-takeover and a window. */
    private static final String DEFAULT_OFFER = "permessage-deflate; client_no_context_takeover; "
            + "client_max_window_bits";

    /** Autobahn's DEFLATE_PARAMS for 13.1 to 13.7, as its client writes them. */
    static final List<String> GROUP_13_OFFERS = List.of(
            DEFAULT_OFFER,
            DEFAULT_OFFER + "; server_no_context_takeover",
            DEFAULT_OFFER + "; server_max_window_bits=9",
            DEFAULT_OFFER + "; server_max_window_bits=15",
            DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=9",
            DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=15",
            DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=9, " + DEFAULT_OFFER
                    + "; server_no_context_takeover, " + DEFAULT_OFFER);

    static void register(Catalogue catalogue, boolean full) {
        int messages = full ? FULL_MESSAGES : QUICK_MESSAGES;
        List<TestDocuments.Document> documents = TestDocuments.all();
        for (int g = 0; g < documents.size(); g++) {
            registerSizes(catalogue, "12." + (g + 1), documents.get(g), DEFAULT_OFFER, messages,
                    "Use default permessage-deflate offer.");
        }
        for (int g = 0; g < GROUP_13_OFFERS.size(); g++) {
            registerSizes(catalogue, "13." + (g + 1), documents.get(0), GROUP_13_OFFERS.get(g), messages,
                    "Use permessage-deflate offer [" + GROUP_13_OFFERS.get(g) + "].");
        }
    }

    private static void registerSizes(Catalogue catalogue, String prefix, TestDocuments.Document document,
            String offer, int messages, String offerText) {
        for (int i = 0; i < MESSAGE_SIZES.length; i++) {
            int size = MESSAGE_SIZES[i][0];
            Duration limit = Duration.ofSeconds(MESSAGE_SIZES[i][1]);
            int fragment = MESSAGE_SIZES[i][2];
            String description = "Send " + messages + " compressed messages each of payload size " + size
                    + ", auto-fragment to " + fragment + " octets. " + offerText + " Payload: " + document.name()
                    + ".";
            String expectation = "Receive echo'ed messages (with payload as sent). Timeout case after "
                    + limit.toSeconds() + " secs.";
            // After the time limit the case closes; the closing handshake has its own second or two.
            catalogue.add(prefix + "." + (i + 1), description, expectation, limit.plusSeconds(3), offer,
                    c -> roundTrips(c, document, size, fragment, messages, limit));
        }
    }

    private static void roundTrips(CaseContext c, TestDocuments.Document document, int size, int fragment,
            int messages, Duration limit) throws IOException {
        c.expectCleanClose(1000);
        if (!c.compressionAgreed()) {
            c.unimplemented("the server accepted no permessage-deflate offer");
            c.sendClose(1000, "");
            return;
        }
        c.decide(Verdict.FAILED, "Case did not finish within " + limit.toSeconds() + " seconds.");
        c.killAfter(limit.plusSeconds(3));
        long deadline = System.nanoTime() + limit.toNanos();
        int pointer = 0;
        for (int i = 0; i < messages; i++) {
            byte[] message = document.slice(pointer, size);
            pointer = (pointer + size) % document.length();
            c.sendCompressed(document.binary() ? Opcode.BINARY : Opcode.TEXT, message, fragment);
            int before = c.received().size();
            c.awaitAnother(before, deadline);
            if (c.received().size() == before) {
                c.sendClose(1000, ""); // Autobahn's closeAfter(WAITSECS): the case ran out of time
                return;
            }
            String mismatch = mismatch(c.received().get(before), document.binary(), message);
            if (mismatch != null) {
                c.decide(Verdict.FAILED, mismatch);
                c.sendClose(1000, "");
                return;
            }
        }
        c.decide(Verdict.OK, "Ok, received all echo'ed messages in time.");
        c.sendClose(1000, "");
    }

    /** Autobahn's three checks of an echo, in its order and words; null when the echo is right. */
    private static String mismatch(Observed echo, boolean binary, byte[] sent) {
        if (!echo.kind().equals("message") || echo.binary() != binary) {
            return "Echo'ed message type differs from what I sent (got " + echo + ", expected binary " + binary
                    + ").";
        }
        if (echo.length() != sent.length) {
            return "Echo'ed message length differs from what I sent (got length " + echo.length()
                    + ", expected length " + sent.length + ").";
        }
        String sentDigest = Observed.sha256(sent);
        if (!echo.sha256().equals(sentDigest)) {
            return "Echo'ed message contents differs from what I sent (got SHA-256 " + echo.sha256()
                    + ", expected SHA-256 " + sentDigest + ").";
        }
        return null;
    }
}
