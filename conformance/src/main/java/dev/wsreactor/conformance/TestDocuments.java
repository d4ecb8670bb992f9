package dev.wsreactor.conformance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * The documents groups 12 and 13 cut their messages from. Autobahn ships five files; these are generated, each
 * with the same kind of content, the same size and the same message type (Autobahn sends Faust, the bitmap and the
 * PDF as binary, the JSON and HTML files as text), and the same every run, so a failing case can be replayed.
 */
final class TestDocuments {

    private TestDocuments() {
    }

    /** One document; messages are consecutive slices of it, wrapping round at its end, as Autobahn cuts them. */
    record Document(String name, boolean binary, byte[] bytes) {

        int length() {
            return bytes.length;
        }

        byte[] slice(int from, int size) {
            byte[] slice = new byte[size];
            for (int i = 0; i < size; i++) {
                slice[i] = bytes[(from + i) % bytes.length];
            }
            return slice;
        }
    }

    private static List<Document> all;

    /** In Autobahn's order: 12.1 JSON, 12.2 bitmap, 12.3 Faust, 12.4 HTML, 12.5 PDF. */
    static synchronized List<Document> all() {
        if (all == null) {
            all = List.of(
                    new Document("a large JSON document (text, 194237 octets)", false, json(194_237)),
                    new Document("a black-and-white bitmap (binary, 263222 octets)", true, bitmap(263_222)),
                    new Document("German prose like Goethe's Faust I (sent as binary, 222218 octets)", true,
                            prose(222_218)),
                    new Document("a large HTML document (text, 83711 octets)", false, html(83_711)),
                    new Document("a PDF-like document, mostly compressed streams (binary, 1042328 octets)", true,
                            pdf(1_042_328)));
        }
        return all;
    }

    static byte[] json(int size) {
        StringBuilder text = new StringBuilder("[");
        Random random = new Random(1);
        String[] states = {"free", "held", "sold"};
        while (text.length() < size) {
            text.append("{\"seat\":\"").append((char) ('A' + random.nextInt(10))).append(random.nextInt(16) + 1)
                    .append("\",\"state\":\"").append(states[random.nextInt(3)]).append("\",\"price\":")
                    .append(10 + random.nextInt(40)).append(".50,\"since\":").append(1_700_000_000 + random.nextInt(
                            1_000_000)).append("},\n");
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] bitmap(int size) {
        byte[] bytes = new byte[size];
        Random random = new Random(2);
        byte[] header = "BM".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, bytes, 0, header.length);
        int at = 1078; // a BMP header and palette, left zero
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
        Random random = new Random(3);
        while (text.length() < size) {
            text.append(words[random.nextInt(words.length)]).append(random.nextInt(12) == 0 ? "\n" : " ");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(bytes, size);
    }

    static byte[] html(int size) {
        StringBuilder text = new StringBuilder("<!DOCTYPE html><html><body><div class=\"map\">\n");
        Random random = new Random(4);
        while (text.length() < size) {
            int seat = random.nextInt(160);
            text.append("<button class=\"seat ").append(random.nextBoolean() ? "free" : "taken")
                    .append("\" data-seat=\"").append((char) ('A' + seat / 16)).append(seat % 16 + 1)
                    .append("\">").append(seat % 16 + 1).append("</button>\n");
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] pdf(int size) {
        byte[] bytes = new byte[size];
        Random random = new Random(5);
        int at = 0;
        int object = 1;
        while (at < size) {
            byte[] head = (object++ + " 0 obj\n<< /Length 4000 /Filter /FlateDecode >>\nstream\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < head.length && at < size; i++) {
                bytes[at++] = head[i];
            }
            for (int i = 0; i < 4000 && at < size; i++) {
                bytes[at++] = (byte) random.nextInt(256); // a compressed stream: incompressible
            }
        }
        return bytes;
    }
}
