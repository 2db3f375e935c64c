package io.jhttpd.server;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The carriers of jhttpd's virtual threads when the JDK lets us have our own: platform threads, one
 * per core, taking work from one first-in-first-out queue.
 *
 * <p>One queue for everything that becomes runnable: a connection that yields, a connection the JDK's
 * poller woke (its helper, a virtual thread too, usually runs here), a thread just started. Each goes
 * to the back, so whatever became runnable waits at most one pass through what was runnable before
 * it, as in an event loop. The JDK's own scheduler keeps one queue per carrier and reads the queue of outside
 * submissions (new threads, wake-ups by platform threads) only when a carrier's own queue is empty,
 * which under load can be never; {@link SharedCarriers} lists what that takes to live with.
 *
 * <p>The JDK takes a scheduler of one's own only where {@link SchedulerAccess} says it may; where it
 * may not, {@link #newBuilder()} returns null and the server uses the JDK's scheduler.
 *
 * <p>One pool per JVM, made on first use, like the JDK's own scheduler: servers share the carriers,
 * which, being daemons, need no stopping. A virtual thread started by one of its threads without a
 * scheduler of its own runs here too (the JDK gives it its creator's): a handler's, and the JDK's
 * poller helpers when a thread of this pool is the first to need them. A carrier stuck in a call that
 * pins its virtual thread (native code) is not replaced meanwhile; the other carriers go on.
 */
final class CarrierPool implements Executor {

    private static final System.Logger LOG = System.getLogger("io.jhttpd");

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(1024);
    /** Carriers waiting for work (guarded by the lock). */
    private int idle;
    /** The queue's length after its last change (written under the lock, read without). */
    private volatile int backlog;

    private CarrierPool(int carriers) {
        for (int i = 0; i < carriers; i++) {
            Thread carrier = Thread.ofPlatform().daemon().inheritInheritableThreadLocals(false)
                    .name("jhttpd-carrier-" + i).unstarted(this::carry);
            // It lives as long as the JVM: it must not hold on to the class loader of whoever came first.
            carrier.setContextClassLoader(ClassLoader.getSystemClassLoader());
            carrier.start();
        }
    }

    /** Made on first use, and only where the JDK takes a scheduler of ours. */
    private static final class Holder {
        static final CarrierPool POOL = new CarrierPool(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A new builder of virtual threads carried by the pool, or null when this JVM does not let jhttpd
     * schedule virtual threads (they then belong on the JDK's scheduler). A builder is not safe to
     * share between threads; its {@link Thread.Builder#factory() factory} is.
     */
    static Thread.Builder.OfVirtual newBuilder() {
        return SchedulerAccess.available() ? SchedulerAccess.builder(Holder.POOL) : null;
    }

    /** The number of virtual threads waiting for a carrier now; 0 without the pool. */
    static int backlog() {
        return SchedulerAccess.available() ? Holder.POOL.backlog : 0;
    }

    /** Queues a virtual thread's continuation: the JDK calls this to start, unpark or resume a yielder. */
    @Override
    public void execute(Runnable continuation) {
        lockFor(Thread.currentThread());
        try {
            queue.addLast(continuation);
            backlog = queue.size();
            if (idle > 0) {
                workArrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the lock. A virtual caller spins instead of parking: parking would unmount it inside the
     * scheduler, and its wake-up would need this very lock (JDK 25 pins it here anyway; spinning keeps
     * that true whatever the JDK does).
     */
    private void lockFor(Thread caller) {
        if (caller.isVirtual()) {
            while (!lock.tryLock()) {
                Thread.onSpinWait();
            }
        } else {
            lock.lock();
        }
    }

    private void carry() {
        while (true) {
            Runnable next;
            lock.lock();
            try {
                next = queue.pollFirst();
                while (next == null) {
                    idle++;
                    try {
                        workArrived.awaitUninterruptibly();
                    } finally {
                        idle--;
                    }
                    next = queue.pollFirst();
                }
                backlog = queue.size();
            } finally {
                lock.unlock();
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                // A continuation handles its own thread's failures; this would be the JDK's bug, and
                // the carrier must outlive it all the same, and a failure to log it too.
                try {
                    LOG.log(System.Logger.Level.ERROR, "a virtual thread's continuation failed on its carrier", e);
                } catch (RuntimeException | Error loggingFailed) {
                    // nothing more to do: the carrier goes on
                }
            }
        }
    }
}
