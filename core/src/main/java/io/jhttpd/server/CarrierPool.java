package io.jhttpd.server;

import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The carriers of jhttpd's virtual threads when the JDK lets us have our own: platform threads, one
 * per core, taking work from one first-in-first-out queue.
 *
 * <p>One queue for everything that becomes runnable: a connection that yields, a connection the JDK's
 * poller woke (its helper, a virtual thread too, runs here), a thread just started. Each goes to the
 * back, so whatever became runnable waits at most one pass through what was runnable before it, as in
 * an event loop. The JDK's own scheduler keeps one queue per carrier and reads the queue of outside
 * submissions (new threads, wake-ups by platform threads) only when a carrier's own queue is empty,
 * which under load can be never; {@link SharedCarriers} lists what that takes to live with.
 *
 * <p>A custom scheduler for virtual threads is not yet public API: the JDK's virtual-thread builder
 * takes one through a constructor that only code allowed into {@code java.lang} can call (the server's
 * jar says so in its manifest, {@code Add-Opens: java.base/java.lang}). Where it is not allowed,
 * {@link #newBuilder()} says so and the server uses the JDK's scheduler.
 *
 * <p>One pool per JVM, made on first use, like the JDK's own scheduler: servers share the carriers,
 * which, being daemons, need no stopping. What these carriers lack against the JDK's: a carrier stuck
 * in a call that pins its virtual thread (native code, file I/O) is not replaced meanwhile.
 */
final class CarrierPool implements Executor {

    /** The JDK's constructor of a virtual-thread builder with a given scheduler, or null if closed to us. */
    private static final Constructor<?> WITH_SCHEDULER = withScheduler();
    private static final CarrierPool POOL = WITH_SCHEDULER == null ? null : new CarrierPool();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(1024);
    /** Carriers waiting for work (guarded by the lock). */
    private int idle;
    /** The queue's length after its last change (written under the lock, read without). */
    private volatile int backlog;

    private CarrierPool() {
        int carriers = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < carriers; i++) {
            Thread.ofPlatform().daemon().name("jhttpd-carrier-" + i).start(this::carry);
        }
    }

    /**
     * A new builder of virtual threads carried by the pool, or null when this JVM does not open
     * {@code java.lang} to jhttpd (the threads then belong on the JDK's scheduler). A builder is not
     * safe to share between threads; its {@link Thread.Builder#factory() factory} is.
     */
    static Thread.Builder.OfVirtual newBuilder() {
        if (POOL == null) {
            return null;
        }
        try {
            return (Thread.Builder.OfVirtual) WITH_SCHEDULER.newInstance(POOL);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Constructor<?> withScheduler() {
        try {
            Constructor<?> constructor = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            constructor.setAccessible(true);
            return constructor;
        } catch (ReflectiveOperationException | RuntimeException notAllowed) {
            return null; // not opened to us (InaccessibleObjectException), or a JDK without it
        }
    }

    /** The number of virtual threads waiting for a carrier now; 0 without the pool. */
    static int backlog() {
        return POOL == null ? 0 : POOL.backlog;
    }

    /** Queues a virtual thread's continuation: the JDK calls this to start, unpark or resume a yielder. */
    @Override
    public void execute(Runnable continuation) {
        lock.lock();
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
                // the carrier must outlive it all the same.
            }
        }
    }
}
