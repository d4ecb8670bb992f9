package dev.wsreactor.reactor;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.ZoneId;
import java.util.TimeZone;
import java.util.function.Supplier;

/**
 * The reactor module's one logger ({@code System.Logger}, so it brings no logging library), made so that logging
 * cannot fail its caller: the reactor thread logs from its catch-alls, often because something ran out (files,
 * memory), and a log call that loads a time-zone file then fails too. So every method here catches what logging
 * throws and drops the line; {@link #warmUp} loads what a log call needs before the first connection; and the
 * module writes at most {@link #LINES_PER_MINUTE} lines a minute, counting the rest, so a flood of failures
 * cannot become a flood of log lines. Events that repeat fast log through a {@link Throttled} of their own.
 */
final class ReactorLog {

    /** The most lines written per minute, over every thread; the rest are counted and the count logged. */
    static final int LINES_PER_MINUTE = 60;
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final String NAME = "dev.wsreactor.reactor";

    private static volatile Logger logger; // made on first use, inside a catch, never in a static initializer
    private static volatile boolean warm;
    private static long windowStart = System.nanoTime();
    private static int linesInWindow;
    private static long suppressed;

    private ReactorLog() {
    }

    /**
     * Loads everything a log call needs (the logging backend and its configuration, the formatter's time zone)
     * by writing the first line, so that later lines need no file; at most once per process, and never throws.
     */
    static void warmUp(String firstLine) {
        try {
            TimeZone.getDefault();
            ZoneId.systemDefault().getRules(); // the time-zone database, which a formatter reads lazily
            Throttled.class.getName(); // its class file too, read from disk when first used
            if (!warm) {
                warm = true;
                info(firstLine);
            }
        } catch (Throwable ignored) {
            // Warming up is an optimisation: without it, a later line may be lost, nothing more.
        }
    }

    static void info(String message) {
        log(Level.INFO, message, null);
    }

    static void warning(String message) {
        log(Level.WARNING, message, null);
    }

    static void warning(String message, Throwable error) {
        log(Level.WARNING, message, error);
    }

    static void error(String message, Throwable error) {
        log(Level.ERROR, message, error);
    }

    /** A line made only when debugging is on, so the hot path builds no string. */
    static void debug(Supplier<String> message) {
        try {
            Logger log = logger();
            if (log.isLoggable(Level.DEBUG) && admit()) {
                log.log(Level.DEBUG, message.get());
            }
        } catch (Throwable ignored) {
            // See log().
        }
    }

    private static void log(Level level, String message, Throwable error) {
        try {
            Logger log = logger();
            if (!log.isLoggable(level) || !admit()) {
                return;
            }
            if (error == null) {
                log.log(level, message);
            } else {
                log.log(level, message, error);
            }
        } catch (Throwable ignored) {
            // A failure to log (no file descriptor for the formatter, no memory) is no failure of the caller's.
        }
    }

    private static Logger logger() {
        Logger log = logger;
        if (log == null) {
            log = System.getLogger(NAME);
            logger = log;
        }
        return log;
    }

    /** Whether one more line fits in this minute; the first line of a new minute says how many were dropped. */
    private static boolean admit() {
        long dropped;
        synchronized (ReactorLog.class) {
            long now = System.nanoTime();
            if (now - windowStart >= MINUTE_NANOS) {
                windowStart = now;
                linesInWindow = 0;
            }
            if (linesInWindow >= LINES_PER_MINUTE) {
                suppressed++;
                return false;
            }
            linesInWindow++;
            dropped = suppressed;
            suppressed = 0;
        }
        if (dropped > 0) {
            logger().log(Level.WARNING, dropped + " log lines were dropped in the last minute (more than "
                    + LINES_PER_MINUTE + " a minute)");
        }
        return true;
    }

    /**
     * One kind of event that may repeat many times a second (a failed accept, a refused connection): logged the
     * first time, then at most once per interval, saying how often it happened since the last line. Belongs to
     * one thread.
     */
    static final class Throttled {

        private final Level level;
        private final long intervalNanos;
        private boolean logged;
        private long loggedAt;
        private long since;

        Throttled(Level level, long intervalNanos) {
            this.level = level;
            this.intervalNanos = intervalNanos;
        }

        /** It happened again at {@code nowNanos}; {@code what} is asked for only when a line is written. */
        void occurred(long nowNanos, Supplier<String> what) {
            since++;
            if (logged && nowNanos - loggedAt < intervalNanos) {
                return;
            }
            try {
                long times = since;
                String line = what.get() + (times > 1 ? " (" + times + " times since the last report)" : "");
                logged = true;
                loggedAt = nowNanos;
                since = 0;
                log(level, line, null);
            } catch (Throwable ignored) {
                // See log().
            }
        }

        /** How many times it happened since the last line. */
        long unreported() {
            return since;
        }
    }
}
