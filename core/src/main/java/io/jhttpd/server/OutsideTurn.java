package io.jhttpd.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * Gives the scheduler's outside queue a turn when threads are known to wait in it: busy connections
 * step aside at their next request until it has been read.
 *
 * <p>A carrier reads the outside queue only once its own queue is empty, and under load that can be
 * never (see {@link Spawner}). When a new connection's thread had to be started the ordinary way (no
 * spare was left), {@link Spawner} asks for a turn: each busy connection, at its next request, parks
 * ({@link #due}, {@link #stepAside}); once none is left running, the
 * carrier's queue is empty and it reads the outside queue, where a releaser thread was queued behind
 * whatever else waits there (new threads, spares, the JDK poller's helper). The releaser yields once,
 * which puts it at the back of that queue again, then lets the connections go on.
 *
 * <p>Turns are at least {@value #MIN_GAP_NANOS} ns apart, so a stream of new connections costs at most
 * a few parks and unparks per connection per turn.
 */
final class OutsideTurn {

    /** About 4 ms between turns at the most. */
    static final long MIN_GAP_NANOS = 1L << 22;
    private static final VarHandle LAST_TURN;

    static {
        try {
            LAST_TURN = MethodHandles.lookup().findVarHandle(OutsideTurn.class, "lastTurn", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ThreadFactory releasers;
    private final Queue<Thread> aside = new ConcurrentLinkedQueue<>();
    private volatile boolean due;
    @SuppressWarnings("unused") // through LAST_TURN
    private volatile long lastTurn = System.nanoTime() - MIN_GAP_NANOS;

    OutsideTurn(ThreadFactory releasers) {
        this.releasers = releasers;
    }

    /** Asks for a turn, unless one is due or the last began less than {@link #MIN_GAP_NANOS} ago. */
    void request() {
        long last = lastTurn;
        long now = System.nanoTime();
        if (due || now - last < MIN_GAP_NANOS || !LAST_TURN.compareAndSet(this, last, now)) {
            return;
        }
        due = true;
        try {
            releasers.newThread(this::release).start();
        } catch (RuntimeException e) {
            due = false; // no thread for the releaser: no turn, rather than connections parked for good
        }
    }

    /** Whether a turn is due: connections check between requests (one volatile read). */
    boolean due() {
        return due;
    }

    /** Parks the calling connection's thread until the turn is over. */
    void stepAside() {
        Thread me = Thread.currentThread();
        aside.add(me);
        while (due) {
            LockSupport.park(this);
        }
        // If the turn ended between the check and the add, this thread stays in the queue until the next
        // turn unparks it for nothing: parks re-check their condition, so that costs one spin.
    }

    private void release() {
        Thread.yield(); // the carrier's queue is empty now, so this goes to the back of the outside queue
        due = false;
        Thread t;
        while ((t = aside.poll()) != null) {
            LockSupport.unpark(t);
        }
    }
}
