package dev.wsreactor.reactor;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Looks at a server's certificate files every interval, on a daemon thread of its own (reading and parsing them
 * is file I/O and key work, kept off the reactors), and installs what changed and reads well. It remembers each
 * source's last failure, so a file that stays broken is logged and counted once, yet tried at every look. A read
 * that fails while the files move under it (a renewal half done) is no failure: the next look reads the result.
 */
final class CertificateWatcher implements AutoCloseable {

    private final SniKeyManager keyManager;
    private final Consumer<Counter> count;
    private final ScheduledExecutorService thread;
    /** Per source: the failure last reported (its files' state and the error), or null after a good read. */
    private final String[] lastFailure;

    CertificateWatcher(SniKeyManager keyManager, Duration interval, Consumer<Counter> count) {
        this.keyManager = keyManager;
        this.count = count;
        this.lastFailure = new String[keyManager.table().size()];
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread watcher = new Thread(task, "wsreactor-certificates");
            watcher.setDaemon(true);
            return watcher;
        });
        long nanos = interval.toNanos();
        thread.scheduleWithFixedDelay(this::pollSafely, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** A scheduled task that throws is never run again: nothing may escape. */
    private void pollSafely() {
        try {
            poll();
        } catch (Throwable e) {
            ReactorLog.warning("looking at the certificate files failed", e);
        }
    }

    /** Reads every source whose files changed since it was read, and installs the good ones in one swap. */
    void poll() {
        CertificateTable table = keyManager.table();
        KeyMaterial[] reloaded = new KeyMaterial[table.size()];
        boolean any = false;
        for (int i = 0; i < table.size(); i++) {
            CertificateSource source = table.source(i);
            FileStamp stamp = null;
            try {
                stamp = source.stamp();
                if (stamp.equals(table.material(i).stamp)) {
                    lastFailure[i] = null;
                    continue;
                }
                reloaded[i] = source.load(stamp);
                lastFailure[i] = null;
                any = true;
            } catch (Exception e) {
                if (stamp == null || !changedSince(source, stamp)) {
                    failed(i, source, stamp, e);
                } // else a renewal still moving its files (certbot relinks them one by one): read at the next look
            }
        }
        if (any && keyManager.replace(table, table.with(reloaded))) {
            for (KeyMaterial material : reloaded) {
                if (material != null) {
                    count.accept(Counter.TLS_CERTIFICATE_RELOADS);
                    ReactorLog.info("certificate reloaded: " + material.certificate().getSubjectX500Principal()
                            .getName() + ", valid until " + material.certificate().getNotAfter().toInstant());
                }
            }
        }
    }

    private static boolean changedSince(CertificateSource source, FileStamp stamp) {
        try {
            return !source.stamp().equals(stamp);
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private void failed(int index, CertificateSource source, FileStamp stamp, Exception error) {
        String failure = stamp + ": " + error;
        if (Objects.equals(failure, lastFailure[index])) {
            return; // the same files failing the same way: reported already
        }
        lastFailure[index] = failure;
        count.accept(Counter.TLS_CERTIFICATE_RELOAD_FAILURES);
        ReactorLog.warning("cannot reload the certificate from " + source + " (still serving the one read before;"
                + " trying again at the next look): " + error.getMessage());
    }

    /** Stops looking; a look under way finishes. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
