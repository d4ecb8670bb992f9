package dev.wsreactor.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link TlsBench}'s echo load: {@code connections} connections to one server, each with one message in flight,
 * driven by a few client threads that each write one message on every connection they own, then read every echo
 * (fewer threads than connections keeps the clients' context switches from dominating a small machine).
 */
final class EchoLoad {

    /** One server to drive: how its clients connect, and the name of the thread whose CPU time is its cost. */
    record Target(String label, BlockingClient client, String loopThread) {
    }

    private EchoLoad() {
    }

    /**
     * Opens the connections, lets them run {@code warmup} seconds, then measures {@code seconds} (none: a warm-up
     * alone, and null back), and closes them all.
     */
    static ReactorWindow run(Target target, int connections, int clientThreads, int size, int warmup, int seconds)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder echoes = new LongAdder();
        int threadCount = Math.min(connections, clientThreads);
        CountDownLatch ready = new CountDownLatch(threadCount);
        List<Thread> threads = new ArrayList<>();
        byte[] frame = BlockingClient.maskedText(size);
        for (int t = 0; t < threadCount; t++) {
            int owned = connections / threadCount + (t < connections % threadCount ? 1 : 0);
            Thread thread = new Thread(() -> drive(target, owned, frame, ready, stop, echoes), "bench-client-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        ready.await(60, TimeUnit.SECONDS);
        Thread.sleep(warmup * 1000L); // a benchmark's warm-up: time is what is measured here
        ReactorWindow window = seconds > 0 ? ReactorWindow.measure(target.loopThread(), echoes, seconds) : null;
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        return window;
    }

    /** One client thread: opens its connections, echoes on all of them in turn until stopped, closes them. */
    private static void drive(Target target, int owned, byte[] frame, CountDownLatch ready, AtomicBoolean stop,
            LongAdder echoes) {
        List<Socket> sockets = new ArrayList<>();
        try {
            List<OutputStream> outs = new ArrayList<>();
            List<DataInputStream> ins = new ArrayList<>();
            for (int i = 0; i < owned; i++) {
                Socket socket = target.client().open();
                sockets.add(socket);
                outs.add(socket.getOutputStream());
                ins.add(new DataInputStream(new BufferedInputStream(socket.getInputStream())));
                BlockingClient.upgrade(outs.get(i), ins.get(i));
            }
            ready.countDown();
            while (!stop.get()) {
                for (OutputStream out : outs) {
                    out.write(frame);
                    out.flush();
                }
                for (DataInputStream in : ins) {
                    BlockingClient.skipFrame(in);
                }
                echoes.add(owned);
            }
            for (int i = 0; i < owned; i++) {
                outs.get(i).write(BlockingClient.CLOSE);
                outs.get(i).flush();
                ins.get(i).readAllBytes(); // the server's Close, then its FIN
            }
        } catch (IOException e) {
            System.err.println(target.label() + ": " + e);
            ready.countDown();
        } finally {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Done with it.
                }
            }
        }
    }
}
