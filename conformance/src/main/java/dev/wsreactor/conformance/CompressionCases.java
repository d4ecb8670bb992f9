package dev.wsreactor.conformance;

import dev.wsreactor.protocol.Opcode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Groups 12 and 13: permessage-deflate (RFC 7692). Group 12 sends payloads of different kinds (text, markup,
 * binary with runs, random bytes) at sizes from 16 bytes to 128 KiB, whole and fragmented; group 13 sends the same
 * sizes under every combination of offer parameters. Every message must come back exactly; a server that does not
 * accept the offer gets UNIMPLEMENTED.
 *
 * <p>Autobahn sends 1,000 messages per case and uses its own sample files; these cases send {@value #MESSAGES}
 * round trips per case, with generated payloads of the same kinds, so the whole suite stays part of every build.
 */
final class CompressionCases {

    private CompressionCases() {
    }

    static final int MESSAGES = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int[] SIZES = {16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072};
    private static final int[][] FRAGMENTED = {{65536, 256}, {65536, 1024}, {65536, 4096}, {65536, 32768},
        {131072, 256}, {131072, 1024}, {131072, 4096}, {131072, 32768}};

    private record Payload(String name, boolean binary, IntFunction<byte[]> generator) {
    }

    static void register(Catalogue catalogue) {
        Payload[] payloads = {
            new Payload("JSON text", false, CompressionCases::json),
            new Payload("a black-and-white bitmap (binary with long runs)", true, CompressionCases::bitmap),
            new Payload("German prose (UTF-8 text)", false, CompressionCases::prose),
            new Payload("HTML markup", false, CompressionCases::html),
            new Payload("random bytes (incompressible, like a PDF's streams)", true, CompressionCases::random),
        };
        for (int g = 0; g < payloads.length; g++) {
            registerSizes(catalogue, "12." + (g + 1), payloads[g], "permessage-deflate", 6);
        }
        String[] offers = {
            "permessage-deflate",
            "permessage-deflate; client_no_context_takeover",
            "permessage-deflate; client_max_window_bits=8",
            "permessage-deflate; client_max_window_bits=15",
            "permessage-deflate; client_no_context_takeover; client_max_window_bits=8",
            "permessage-deflate; client_no_context_takeover; client_max_window_bits=15",
            "permessage-deflate; client_no_context_takeover; client_max_window_bits=9, "
                + "permessage-deflate; client_no_context_takeover, permessage-deflate",
        };
        for (int g = 0; g < offers.length; g++) {
            // With a window below 15 bits offered, our compressor (the JDK's, always 15 bits) sends stored blocks,
            // which are valid for any window.
            int level = offers[g].contains("client_max_window_bits=8") || offers[g].contains("=9") ? 0 : 6;
            registerSizes(catalogue, "13." + (g + 1), payloads[0], offers[g], level);
        }
    }

    private static void registerSizes(Catalogue catalogue, String prefix, Payload payload, String offer, int level) {
        int n = 1;
        for (int size : SIZES) {
            register(catalogue, prefix + "." + n++, payload, offer, level, size, 0);
        }
        for (int[] sizeAndFragment : FRAGMENTED) {
            register(catalogue, prefix + "." + n++, payload, offer, level, sizeAndFragment[0], sizeAndFragment[1]);
        }
    }

    private static void register(Catalogue catalogue, String id, Payload payload, String offer, int level, int size,
            int fragment) {
        String description = "Offer [" + offer + "]. Send " + MESSAGES + " compressed messages of " + payload.name()
                + ", each of payload size " + size + (fragment > 0 ? ", auto-fragmented to " + fragment + " octets"
                        : "") + ", each waiting for its echo.";
        catalogue.add(id, description, "The server accepts the offer, and every message is echo'ed back (compressed "
                + "or not) with its payload exactly as sent. Clean close with normal code.", TIMEOUT, offer, c -> {
                    if (!c.compressionAgreed()) {
                        c.unimplemented("the server did not accept permessage-deflate");
                        return;
                    }
                    c.compressionLevel(level);
                    roundTrips(c, payload, size, fragment);
                });
    }

    private static void roundTrips(CaseContext c, Payload payload, int size, int fragment) throws IOException {
        for (int i = 0; i < MESSAGES; i++) {
            byte[] message = payload.generator().apply(size + i); // no two messages alike, so the context matters
            c.sendCompressed(payload.binary() ? Opcode.BINARY : Opcode.TEXT, message, fragment);
            if (payload.binary()) {
                c.expectBinary(message);
            } else {
                c.expectText(message);
            }
            c.awaitExpected();
        }
    }

    // Payload generators: deterministic for a size, so a failing case can be replayed.

    static byte[] json(int size) {
        StringBuilder text = new StringBuilder("[");
        Random random = new Random(size);
        String[] states = {"free", "held", "sold"};
        while (text.length() < size) {
            char row = (char) ('A' + random.nextInt(10));
            text.append("{\"seat\":\"").append(row).append(random.nextInt(16) + 1).append("\",\"state\":\"")
                    .append(states[random.nextInt(3)]).append("\",\"price\":").append(10 + random.nextInt(40))
                    .append(".50},");
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] bitmap(int size) {
        byte[] bytes = new byte[size];
        Random random = new Random(size);
        int at = 0;
        byte value = 0;
        while (at < size) {
            int run = 1 + random.nextInt(64);
            for (int i = 0; i < run && at < size; i++) {
                bytes[at++] = value;
            }
            value = (byte) (value == 0 ? 0xFF : 0);
        }
        return bytes;
    }

    static byte[] prose(int size) {
        String[] words = {"Habe", "nun,", "ach!", "Philosophie,", "Juristerei", "und", "Medizin,", "leider", "auch",
            "Theologie", "durchaus", "studiert,", "mit", "heißem", "Bemühn.", "Da", "steh", "ich", "nun,", "ich",
            "armer", "Tor!", "Und", "bin", "so", "klug", "als", "wie", "zuvor;", "Gretchen", "schön", "Mephisto"};
        StringBuilder text = new StringBuilder();
        Random random = new Random(size);
        int length = 0;
        while (length < size + 8) {
            String word = words[random.nextInt(words.length)];
            text.append(word).append(' ');
            length += word.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        int end = size;
        while ((bytes[end] & 0xC0) == 0x80) {
            end--; // cut on a character boundary, so the text stays valid UTF-8
        }
        return java.util.Arrays.copyOf(bytes, end);
    }

    static byte[] html(int size) {
        StringBuilder text = new StringBuilder("<!DOCTYPE html><html><body><div class=\"map\">\n");
        Random random = new Random(size);
        while (text.length() < size) {
            int seat = random.nextInt(160);
            text.append("<button class=\"seat ").append(random.nextBoolean() ? "free" : "taken")
                    .append("\" data-seat=\"").append((char) ('A' + seat / 16)).append(seat % 16 + 1)
                    .append("\">").append(seat % 16 + 1).append("</button>\n");
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
