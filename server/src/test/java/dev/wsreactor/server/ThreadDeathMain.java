package dev.wsreactor.server;

/**
 * The echo server with one more thread, which dies of an uncaught exception once the server listens: what the
 * process does when its reactor thread ends abnormally (a thread of the server dying is the same to it).
 */
final class ThreadDeathMain {

    private ThreadDeathMain() {
    }

    public static void main(String[] args) {
        EchoServer.main(args); // returns once the server listens
        new Thread(() -> {
            throw new IllegalStateException("simulated: the loop gave up");
        }, "wsreactor-simulated").start();
    }
}
