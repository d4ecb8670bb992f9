package dev.wsreactor.conformance;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** What went over the wire in one case, one line per frame or event, with the time since the case started. */
final class WireLog {

    private static final int SHOWN_OCTETS = 48;
    private final long start = System.nanoTime();
    private final List<String> lines = new ArrayList<>();

    private static final int MAX_LINES = 400;
    private int dropped;

    void note(String line) {
        if (lines.size() >= MAX_LINES) {
            dropped++; // the round-trip cases send thousands of frames; the first few hundred tell the story
            return;
        }
        long micros = (System.nanoTime() - start) / 1_000;
        lines.add(String.format("%9.3f ms  %s", micros / 1000.0, line));
    }

    void sent(String what, int opcodeBits, boolean fin, int rsv, byte[] payload, int totalOctets, int chop) {
        note("TX " + what + " opcode=" + opcodeBits + " fin=" + fin + " rsv=" + rsv + " len=" + payload.length
                + (chop > 0 ? " in chops of " + chop : "") + " (" + totalOctets + " octets)  " + preview(payload));
    }

    void received(WireClient.Event event) {
        if (event instanceof WireClient.Frame frame) {
            note("RX frame " + frame.opcode() + " fin=" + frame.fin() + (frame.rsv() != 0 ? " rsv=" + frame.rsv() : "")
                    + " len=" + frame.payload().length + "  "
                    + preview(frame.payload()));
        } else if (event != null) {
            note("RX " + event);
        }
    }

    List<String> lines() {
        if (dropped == 0) {
            return List.copyOf(lines);
        }
        List<String> all = new ArrayList<>(lines);
        all.add("... and " + dropped + " more lines not shown");
        return List.copyOf(all);
    }

    static String preview(byte[] payload) {
        int shown = Math.min(SHOWN_OCTETS, payload.length);
        String hex = HexFormat.of().formatHex(payload, 0, shown);
        return "0x" + hex + (payload.length > shown ? "..." : "");
    }
}
