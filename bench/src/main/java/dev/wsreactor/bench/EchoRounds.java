package dev.wsreactor.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@link TlsBench}'s echo comparison: pairs of servers (ws, then wss), every server warmed up once, then measured
 * once per round, in the same order each round; the figures printed at the end are medians over the rounds, and a
 * ratio is the median of each round's ratio, so that a shared machine's changing load cancels within a round.
 */
final class EchoRounds {

    private EchoRounds() {
    }

    /** Measures every pair's two servers {@code rounds} times and prints each measurement and the medians. */
    static void compare(List<EchoLoad.Target[]> pairs, int rounds, int connections, int clientThreads, int size,
            int warmup, int seconds) throws Exception {
        for (EchoLoad.Target[] pair : pairs) { // warm every server up once before measuring any: the same JIT
            for (EchoLoad.Target target : pair) {
                EchoLoad.run(target, connections, clientThreads, size, warmup, 0);
            }
        }
        ReactorWindow[][][] windows = new ReactorWindow[pairs.size()][2][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int p = 0; p < pairs.size(); p++) {
                for (int side = 0; side < 2; side++) {
                    EchoLoad.Target target = pairs.get(p)[side];
                    ReactorWindow w = EchoLoad.run(target, connections, clientThreads, size, warmup, seconds);
                    windows[p][side][round] = w;
                    System.out.printf("echo %-16s %,10.0f msgs/s   server thread %.2f us CPU per echo (%.0f%% of a"
                            + " core), process %.2f us%n", target.label(), w.rate(), w.cpuMicrosEach(),
                            100.0 * w.cpuNanos() / 1e9 / w.seconds(), w.processCpuMicrosEach());
                }
            }
        }
        System.out.printf("medians of %d round%s:%n", rounds, rounds == 1 ? "" : "s");
        for (int p = 0; p < pairs.size(); p++) {
            ReactorWindow[] ws = windows[p][0];
            ReactorWindow[] wss = windows[p][1];
            System.out.printf("  %-16s %,8.0f against %,8.0f msgs/s: %.2fx; server CPU %.2f against %.2f us per"
                    + " echo, process %.2f against %.2f us%n", pairs.get(p)[1].label(),
                    median(wss, ReactorWindow::rate), median(ws, ReactorWindow::rate),
                    ratio(wss, ws, ReactorWindow::rate),
                    median(wss, ReactorWindow::cpuMicrosEach), median(ws, ReactorWindow::cpuMicrosEach),
                    median(wss, ReactorWindow::processCpuMicrosEach), median(ws, ReactorWindow::processCpuMicrosEach));
        }
        for (int p = 1; p < pairs.size(); p++) {
            for (int side = 0; side < 2; side++) {
                System.out.printf("  %s against %s: %.2fx the rate, %.2fx the server CPU per echo%n",
                        pairs.get(0)[side].label(), pairs.get(p)[side].label(),
                        ratio(windows[0][side], windows[p][side], ReactorWindow::rate),
                        ratio(windows[0][side], windows[p][side], ReactorWindow::cpuMicrosEach));
            }
        }
    }

    /** The median over the rounds of {@code what(a) / what(b)}, each round's two measured close together. */
    private static double ratio(ReactorWindow[] a, ReactorWindow[] b, ToDoubleFunction<ReactorWindow> what) {
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < a.length; round++) {
            ratios.add(what.applyAsDouble(a[round]) / what.applyAsDouble(b[round]));
        }
        return median(ratios.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(ReactorWindow[] windows, ToDoubleFunction<ReactorWindow> what) {
        return median(Arrays.stream(windows).mapToDouble(what).toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
