package io.jhttpd.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Gives the scheduler's outside queue a turn now and then: busy connections step aside at their next
 * request until it has been read.
 *
 * <p>A carrier reads its outside queue only once its own queue is empty, and under load that can be
 * never: connections that find their next request already there never wait. What waits outside then
 * waits for as long as the load lasts: every newly started virtual thread (on JDK 25), whatever a
 * platform thread starts or unparks, and the JDK poller's helper thread, which wakes every connection
 * that waits in a read. Traced with tcpdump in a pipelined run: new connections waited 0.2-0.5 s for
 * their first, second or third response, while old ones were served every millisecond.
 *
 * <p>A turn: {@link #due} turns true and a releaser thread is started (into the outside queue). Each
 * busy connection, at its next request, parks ({@link #stepAside}); once none runs, the carrier's
 * queue is empty and it reads the outside queue, running what waited there, the releaser among them.
 * The releaser yields once, which puts it at the back of that queue (its own queue being empty), so
 * what came in meanwhile runs too; then it lets the connections go on.
 *
 * <p>Connections ask for a turn between requests ({@link #tick}) once {@value #PERIOD_NANOS} ns passed
 * since the last, and {@link Spawner} asks sooner ({@link #request}, at most every
 * {@value #MIN_GAP_NANOS} ns) when it had to start a thread the ordinary way. A turn costs each busy
 * connection one park and one unpark: at 64 connections and one turn per 17 ms, about 4,000 of each per
 * second, against a million pipelined requests.
 */
final class OutsideTurn {

    /** About 17 ms: the longest that anything waits outside while connections are busy, plus a turn. */
    static final long PERIOD_NANOS = 1L << 24;
    /** About 4 ms: the shortest gap between turns. */
    static final long MIN_GAP_NANOS = 1L << 22;
    private final ThreadFactory releasers;
    /** The turn that is due, or null. */
    private volatile Turn current;
    /** When the last turn began (System.nanoTime). */
    private final AtomicLong lastTurn = new AtomicLong(System.nanoTime());

    OutsideTurn(ThreadFactory releasers) {
        this.releasers = releasers;
    }

    /** Asks for a turn if none began in the last {@link #PERIOD_NANOS}; {@code now} is {@code System.nanoTime()}. */
    void tick(long now) {
        request(now, PERIOD_NANOS);
    }

    /** Asks for a turn unless one is due or began less than {@link #MIN_GAP_NANOS} ago. */
    void request() {
        request(System.nanoTime(), MIN_GAP_NANOS);
    }

    private void request(long now, long gap) {
        long last = lastTurn.get();
        if (now - last < gap || current != null || !lastTurn.compareAndSet(last, now)) {
            return;
        }
        Turn turn = new Turn();
        current = turn;
        try {
            releasers.newThread(() -> release(turn)).start();
        } catch (RuntimeException e) {
            turn.end(); // no thread for the releaser: no turn, rather than connections parked for good
        }
    }

    /** Whether a turn is due: connections check between requests (one volatile read). */
    boolean due() {
        return current != null;
    }

    /** Parks the calling thread until the turn that is due now (if any) is over. */
    void stepAside() {
        Turn turn = current;
        if (turn != null) {
            turn.await();
        }
    }

    private void release(Turn turn) {
        Thread.yield(); // the carrier's own queue is empty now: this goes to the back of the outside queue
        turn.end();
    }

    /**
     * One turn: the threads that stood aside for it wait for its end, not for "no turn due", since the
     * next turn may be due by the time they wake.
     */
    private final class Turn {

        private final Queue<Thread> aside = new ConcurrentLinkedQueue<>();
        private volatile boolean over;

        void await() {
            aside.add(Thread.currentThread());
            while (!over) {
                LockSupport.park(this);
            }
        }

        void end() {
            over = true; // first: a thread that queues itself after the drain below sees it and goes on
            if (current == this) {
                current = null;
            }
            Thread t;
            while ((t = aside.poll()) != null) {
                LockSupport.unpark(t);
            }
        }
    }
}
