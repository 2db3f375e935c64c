package io.jhttpd.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Gives work a virtual thread of its own that runs soon even when the carrier is busy.
 *
 * <p>The JDK's scheduler has two kinds of queue: each carrier's own, and one outside queue, which a
 * carrier reads only once its own queue is empty. A virtual thread that is unparked by another virtual
 * thread joins the carrier's own queue; but every newly started virtual thread goes to the outside
 * queue (on JDK 25, even when started from a virtual thread), and so does whatever a platform thread
 * starts or unparks. Under load the carrier's own queue never empties (pipelining connections find
 * their next requests already there and never wait), so a new thread waited until every busy
 * connection happened to pause at once: with wrk reconnecting after each 10,000 requests, new
 * connections waited up to 0.4 s for their thread to run (pipelined p99 200-400 ms).
 *
 * <p>So work is handed to a <em>spare</em>: a fresh virtual thread started ahead of time, which has
 * run and parked, and which an unpark from a virtual thread puts straight into the carrier's own
 * queue. Each spare takes one piece of work and ends with it, like any thread started for it (no
 * thread-local state is carried from one piece of work to the next). Taking a spare starts its
 * replacement; when none is left, the work gets a thread started the ordinary way.
 *
 * <p>Platform threads (the accept loop) cannot unpark into a carrier's queue, so they queue their work
 * ({@link #spawn}); connections hand queued work to spares between requests ({@link #startPending}:
 * one read of a queue head when nothing waits). For when no connection runs, one starter thread at a
 * time also goes through the outside queue, which an idle carrier reads at once; it does the first
 * queued task itself. Spares' replacements are started the ordinary way too, so under a stream of new
 * connections they run out; an {@link OutsideTurn} then lets the outside queue be read.
 */
final class Spawner {

    private static final System.Logger LOG = System.getLogger("io.jhttpd");
    /** Spares kept ready: enough for a burst of new connections while the carrier's queue stays full. */
    static final int SPARES = 32;
    /** What a spare's slot holds once it gave up waiting (stopped). */
    private static final Runnable GONE = () -> { };

    private final ThreadFactory threads;
    private final AtomicInteger sparesMade = new AtomicInteger();
    private final OutsideTurn outsideTurn;
    private final Queue<Task> pending = new ConcurrentLinkedQueue<>();
    private final Queue<Spare> parkedSpares = new ConcurrentLinkedQueue<>();
    /** Spares started and not yet taken, parked or on their way to it. */
    private final AtomicInteger spares = new AtomicInteger();
    private final AtomicBoolean starterQueued = new AtomicBoolean();
    private volatile boolean stopped;

    Spawner(ThreadFactory threads, OutsideTurn outsideTurn) {
        this.threads = threads;
        this.outsideTurn = outsideTurn;
    }

    /**
     * Runs {@code work} on a new virtual thread soon; for platform threads. If no thread can be started
     * for it (out of memory for stacks), {@code ifNotStarted} runs instead, on whichever thread found out.
     */
    void spawn(Runnable work, Runnable ifNotStarted) {
        pending.add(new Task(work, ifNotStarted));
        if (starterQueued.compareAndSet(false, true)) {
            try {
                threads.newThread(this::startFromOutside).start();
            } catch (RuntimeException e) {
                starterQueued.set(false);
                startPending(); // fails alike, most likely, and gives up on the tasks
            }
        }
    }

    /** The starter: hands the others to spares and does the first task itself, being a fresh thread. */
    private void startFromOutside() {
        // Cleared before draining: a task added after this line sees false and queues another starter.
        starterQueued.set(false);
        Task first = pending.poll();
        startPending();
        if (first != null) {
            first.work().run();
        }
    }

    /** Starts every queued task on a thread of its own; cheap when none waits. */
    void startPending() {
        if (pending.isEmpty()) {
            return;
        }
        Task task;
        while ((task = pending.poll()) != null) {
            try {
                start(task.work());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "could not start a thread", e);
                task.ifNotStarted().run();
            }
        }
    }

    /**
     * Runs {@code work} on a thread of its own: on a spare when one is parked (from a virtual thread, it
     * then runs next on this carrier), else on a new thread.
     *
     * @throws RuntimeException when no thread can be started
     */
    void start(Runnable work) {
        Spare spare;
        while ((spare = parkedSpares.poll()) != null) {
            spares.decrementAndGet();
            topUp();
            if (spare.take(work)) {
                return;
            }
        }
        threads.newThread(work).start();
        outsideTurn.request(); // that thread, and the spares on their way, wait in the outside queue
        topUp();
    }

    /** Starts one more spare when fewer than {@link #SPARES} are around. */
    private void topUp() {
        if (stopped) {
            return;
        }
        if (spares.incrementAndGet() > SPARES) {
            spares.decrementAndGet();
            return;
        }
        try {
            Spare spare = new Spare(sparesMade.incrementAndGet());
            // Named apart from connection threads until it takes a connection's work.
            Thread.ofVirtual().name("jhttpd-spare-" + spare.number).start(spare);
        } catch (RuntimeException e) {
            spares.decrementAndGet(); // no memory for one more: the work itself still gets a thread
        }
    }

    /** Lets the parked spares end; later work gets new threads. */
    void stop() {
        stopped = true;
        Spare spare;
        while ((spare = parkedSpares.poll()) != null) {
            spare.release();
        }
    }

    /** The number of spares parked now. */
    int parkedSpares() {
        return parkedSpares.size();
    }

    private final class Spare implements Runnable {

        private final int number;
        private final AtomicReference<Runnable> work = new AtomicReference<>();
        private volatile Thread thread;

        Spare(int number) {
            this.number = number;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            parkedSpares.add(this); // only now: unparking a thread that has not run yet would not hurry it
            while (true) {
                Runnable w = work.get();
                if (w != null) {
                    if (w != GONE) {
                        Thread.currentThread().setName("jhttpd-conn-s" + number);
                        w.run();
                    }
                    return;
                }
                if (stopped && work.compareAndSet(null, GONE)) {
                    return;
                }
                LockSupport.park(this);
            }
        }

        /** Gives this spare its work; false when it has already ended. */
        boolean take(Runnable w) {
            if (!work.compareAndSet(null, w)) {
                return false;
            }
            LockSupport.unpark(thread);
            return true;
        }

        void release() {
            LockSupport.unpark(thread);
        }
    }

    private record Task(Runnable work, Runnable ifNotStarted) {
    }
}
