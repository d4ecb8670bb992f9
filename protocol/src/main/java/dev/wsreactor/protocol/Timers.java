package dev.wsreactor.protocol;

/**
 * The connection's one running timer. The state table starts them: the handshake timer runs from the start
 * (§10.4), {@code START_KEEPALIVE} hands over to keepalive when the connection opens, {@code START_CLOSING_TIMER}
 * bounds every closing state (§7.1.1), and {@code RELEASE} stops them all.
 *
 * <p>Keepalive is a small machine of its own (§5.5.2: a Ping "may serve either as a keepalive or as a means to
 * verify that the remote endpoint is still responsive"): IDLE until the peer has been silent for the idle time,
 * then a Ping goes out and it WAITS; any byte from the peer answers it, and if none comes within the pong time,
 * the table's TIMEOUT fails the connection. An idle time of zero turns keepalive off.
 *
 * <p>While the I/O layer does not read the peer (its output is backed up, or input waits), the peer's silence is
 * ours: keepalive neither pings nor times out, and reading again restarts its clock.
 *
 * <p>The idle close ({@code closeWhenIdle}) is a second clock beside keepalive while OPEN: it runs from the last
 * message either way (Pings and Pongs do not count, so keepalive cannot keep an idle session open), and when it
 * runs out the table's IDLE_TIMEOUT closes with 1001. Leaving OPEN stops it.
 */
final class Timers {

    /** What {@link #due} found. */
    enum Due { NOTHING, KEEPALIVE_PING, TIMEOUT, IDLE }

    private enum Running { STATE_TIMER, KEEPALIVE_IDLE, KEEPALIVE_WAITING, NONE }

    private final ConnectionConfig config; // its durations are read when needed: one reference per connection
    private long now; // the last clock reading the I/O layer handed in, in nanoseconds
    private Running running = Running.STATE_TIMER;
    private long deadline; // the state timer's, or the Pong's while KEEPALIVE_WAITING
    private long lastReceivedAt;
    private boolean readingPaused; // by the I/O layer; independent of which timer runs
    private boolean idleCloseRunning; // from the open to the first closing state
    private long lastMessageAt;

    Timers(ConnectionConfig config, long now) {
        this.config = config;
        this.now = now;
        this.deadline = now + config.handshakeTimeout().toNanos();
        this.lastReceivedAt = now;
    }

    /** The clock, as the I/O layer reads it at each call: the timers started next start from here. */
    void clock(long nanos) {
        now = nanos;
    }

    long now() {
        return now;
    }

    void startKeepalive() {
        lastReceivedAt = now;
        running = config.pingInterval().isZero() ? Running.NONE : Running.KEEPALIVE_IDLE;
        lastMessageAt = now;
        idleCloseRunning = !config.closeWhenIdle().isZero();
    }

    void startClosingTimer() {
        running = Running.STATE_TIMER;
        deadline = now + config.closeTimeout().toNanos();
        idleCloseRunning = false;
    }

    void stop() {
        running = Running.NONE;
        idleCloseRunning = false;
    }

    /** A message went either way (a data frame arrived, or the application sent one): the idle clock starts over. */
    void messageActivity() {
        lastMessageAt = now;
    }

    /** The I/O layer stopped reading the peer: keepalive waits. */
    void readingPaused() {
        readingPaused = true;
    }

    /** The I/O layer reads the peer again: keepalive starts over, as if a byte had just come. */
    void readingResumed() {
        if (readingPaused) {
            readingPaused = false;
            bytesReceived();
        }
    }

    /** Any byte from the peer shows it is alive: an outstanding keepalive Ping is answered. */
    void bytesReceived() {
        lastReceivedAt = now;
        if (running == Running.KEEPALIVE_WAITING) {
            running = Running.KEEPALIVE_IDLE;
        }
    }

    /** When {@link #due} next has something to do, or {@link Connection#NO_DEADLINE}. */
    long deadline() {
        long own = runningDeadline();
        if (!idleCloseRunning) {
            return own;
        }
        long idle = lastMessageAt + config.closeWhenIdle().toNanos();
        return own == Connection.NO_DEADLINE || idle - own < 0 ? idle : own;
    }

    private long runningDeadline() {
        if (readingPaused && (running == Running.KEEPALIVE_IDLE || running == Running.KEEPALIVE_WAITING)) {
            return Connection.NO_DEADLINE; // the peer's silence is ours while we do not read it
        }
        return switch (running) {
            case KEEPALIVE_IDLE -> lastReceivedAt + config.pingInterval().toNanos();
            case STATE_TIMER, KEEPALIVE_WAITING -> deadline;
            case NONE -> Connection.NO_DEADLINE;
        };
    }

    /** What is due now; a keepalive Ping is due once, and the machine then waits for an answer. */
    Due due() {
        if (idleCloseRunning && now - (lastMessageAt + config.closeWhenIdle().toNanos()) >= 0) {
            return Due.IDLE;
        }
        long at = runningDeadline();
        if (at == Connection.NO_DEADLINE || now - at < 0) {
            return Due.NOTHING;
        }
        if (running == Running.KEEPALIVE_IDLE) {
            running = Running.KEEPALIVE_WAITING;
            deadline = now + config.pongTimeout().toNanos();
            return Due.KEEPALIVE_PING;
        }
        return Due.TIMEOUT;
    }
}
