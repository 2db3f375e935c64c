package io.jhttpd.server;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The carriers of jhttpd's virtual threads when the JDK lets us have our own: platform threads, one
 * per core, taking work from one first-in-first-out queue (and a short lane beside it).
 *
 * <p>One queue for everything that becomes runnable: a connection that yields, a connection the JDK's
 * poller woke, a thread just started. Each goes to the back, so whatever became runnable waits one
 * pass through what was runnable before it (and the lane's few turns), as in an event loop. The JDK's
 * own scheduler keeps one queue per carrier and reads the queue of outside submissions (new threads,
 * wake-ups by platform threads) only when a carrier's own queue is empty, which under load can be
 * never; {@link SharedCarriers} lists what that takes to live with.
 *
 * <p>One exception: the JDK's poller helpers (virtual threads that usually run here, see below) wait in a
 * lane of their own that comes next after at most {@link #LANE_DISTANCE} continuations of the queue.
 * A helper wakes at most 64 waiting threads a turn, then yields; at the back of a queue of 10,000
 * connections it would wake 64 per pass, and the connections that had to wait for bytes would wait
 * seconds (measured: wrk -c10000 timed out on thousands of requests). In the lane it can wake two for
 * every continuation that runs, and while the queue is shorter than the distance the lane comes after
 * the whole queue, as before. A helper is known by who wakes it when it has nothing to poll: the JDK's
 * master poller ({@link #JDK_MASTER_POLLER}), a platform thread. The master also wakes a virtual
 * thread waiting in a {@code Selector} (the server's {@link IdleParking} is one): that one wakes
 * threads in batches too, and takes the lane with the helpers. The pool remembers them weakly: a
 * stopped server's parking thread is forgotten once it is gone.
 *
 * <p>The JDK takes a scheduler of one's own only where {@link SchedulerAccess} says it may; where it
 * may not, {@link #newBuilder()} returns null and the server uses the JDK's scheduler.
 *
 * <p>One pool per JVM, made on first use, like the JDK's own scheduler: servers share the carriers,
 * which, being daemons, need no stopping. A virtual thread started by one of its threads without a
 * scheduler of its own runs here too (the JDK gives it its creator's): a handler's, and the JDK's
 * poller helpers when a thread of this pool is the first to need them.
 *
 * <p>A carrier that runs one virtual thread for a whole {@linkplain #TICK_NANOS tick} while others wait
 * is relieved: a thread stuck in native code or in the kernel (a file on a slow disk, a database
 * driver's call), or one that computes without pause, keeps its carrier, and the pool's monitor starts
 * a relief carrier that takes from the queue until the stuck one is back (or for a tick finds nothing
 * to take). So
 * one slow call holds up one thread, never the server, as the operating system's scheduler would see
 * to for platform threads. The JDK's scheduler does that only for some file writes.
 */
final class CarrierPool implements Executor {

    private static final System.Logger LOG = System.getLogger("io.jhttpd");
    /**
     * How often the monitor looks at the carriers while any of them works. A carrier is stuck when it
     * is still on the same run one tick later: relief comes 10-20 ms after a thread stops giving its
     * carrier back, a few passes through the queue at saturation.
     */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** At most this many carriers in all, relief included (the JDK's scheduler stops at 256 too). */
    static final int MAX_CARRIERS = 256;
    /**
     * The system property that sets the number of permanent carriers (one per core by default): fewer
     * leave cores to other processes on the machine, such as a database, or a load generator in a
     * benchmark (BENCHMARKS.md, "Carriers on a shared machine").
     */
    static final String CARRIERS_PROPERTY = "jhttpd.carriers";
    /**
     * The poller lane's first comes next after at most this many continuations of the queue: a helper
     * wakes up to 64 threads a turn (JDK 25's {@code EPollPoller}), so it can keep up with two wake-ups
     * for every continuation that runs.
     */
    static final int LANE_DISTANCE = 32;
    /**
     * The name of the JDK's master poller (JDK 25's {@code sun.nio.ch.Poller}, in its default mode on
     * Linux): a platform thread that wakes the poller helpers. Should a JDK name it otherwise, the
     * helpers wait in the queue like everything else (PollerLaneProbeTest notices).
     */
    static final String JDK_MASTER_POLLER = "MasterPoller";
    /**
     * At most this many live continuations are known as the lane's: JDK 25 makes one read helper per
     * core up to 32, and one write helper (more only when asked with {@code -Djdk.readPollers}), and
     * each server adds its parking thread; a program whose own virtual threads wait in selectors by
     * the thousand then finds the list full, and its threads queue like the rest.
     */
    static final int MAX_POLLER_HELPERS = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(1024);
    /** The JDK's poller helpers waiting for a carrier (guarded by the lock). */
    private final ArrayDeque<Runnable> pollerLane = new ArrayDeque<>();
    /** The continuations of the JDK's poller helpers met so far, while they live (guarded by the lock). */
    private WeakReference<?>[] pollerHelpers = new WeakReference<?>[0];
    /** Continuations taken so far, from the queue or the lane (guarded by the lock). */
    private long taken;
    /** The lane's first comes next once {@link #taken} reaches this (guarded by the lock). */
    private long laneDue;
    /** Carriers waiting for work (guarded by the lock). */
    private int idle;
    /** What waits for a carrier, queue and lane, after its last change (written under the lock, read without). */
    private volatile int backlog;
    /** Every carrier alive, the permanent ones first; relief carriers come and go. */
    private final CopyOnWriteArrayList<Carrier> carriers = new CopyOnWriteArrayList<>();
    private final int permanent;
    private final Thread monitor;
    /** The monitor sleeps until work arrives (guarded by the lock). */
    private boolean monitorAsleep;
    /** Relief carriers started so far (written by the monitor alone). */
    private volatile long reliefs;
    /** The carriers' own epoll, or null where the JVM does not let jhttpd have one. */
    private final ReadinessPoller readiness;
    /** The carrier waiting in the poller's {@code epoll_wait}, if any (written under the lock). */
    private volatile Thread pollingCarrier;
    /** Whether the polling carrier was woken since it began its wait (guarded by the lock). */
    private boolean pollerWoken;
    /** {@link #taken} when the monitor last looked (the monitor's). */
    private long takenAtLastTick;
    /** The monitor's native array for epoll's events, 0 until its first poll. */
    private long monitorEvents;

    CarrierPool(int carriers) {
        this(carriers, ReadinessPoller.createIfAvailable());
    }

    CarrierPool(int carriers, ReadinessPoller readiness) {
        this.permanent = carriers;
        this.readiness = readiness;
        if (readiness != null) {
            readiness.busyWhen(() -> backlog > 0);
        }
        for (int i = 0; i < carriers; i++) {
            startCarrier(new Carrier(null, 0), "jhttpd-carrier-" + i);
        }
        this.monitor = daemon("jhttpd-carrier-monitor", this::watch);
        monitor.start();
    }

    /** Made on first use, and only where the JDK takes a scheduler of ours. */
    private static final class Holder {
        static final CarrierPool POOL = new CarrierPool(
                carrierCount(System.getProperty(CARRIERS_PROPERTY), Runtime.getRuntime().availableProcessors()));
    }

    /**
     * How many permanent carriers the JVM's pool gets: {@code configured} when it is a whole number from 1
     * to {@link #MAX_CARRIERS}, else one per core ({@code processors}), with a warning when something else
     * was asked for.
     */
    static int carrierCount(String configured, int processors) {
        if (configured == null) {
            return processors;
        }
        try {
            int count = Integer.parseInt(configured.strip());
            if (count >= 1 && count <= MAX_CARRIERS) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.log(System.Logger.Level.WARNING, "-D{0}={1} is not a number from 1 to {2}: using {3}, one per core",
                CARRIERS_PROPERTY, configured, MAX_CARRIERS, processors);
        return processors;
    }

    /**
     * A new builder of virtual threads carried by the pool, or null when this JVM does not let jhttpd
     * schedule virtual threads (they then belong on the JDK's scheduler). A builder is not safe to
     * share between threads; its {@link Thread.Builder#factory() factory} is.
     */
    static Thread.Builder.OfVirtual newBuilder() {
        return SchedulerAccess.available() ? SchedulerAccess.builder(Holder.POOL) : null;
    }

    /** The JVM's pool's own epoll, or null (see {@link ReadinessPoller}). */
    static ReadinessPoller poller() {
        return SchedulerAccess.available() ? Holder.POOL.readiness : null;
    }

    /** A new builder of virtual threads carried by this pool (the JVM's pool is {@link #newBuilder()}'s). */
    Thread.Builder.OfVirtual builder() {
        return SchedulerAccess.builder(this);
    }

    /** The relief carriers started since the pool was made. */
    long reliefs() {
        return reliefs;
    }

    /** How many of the JDK's poller helpers this pool has met. */
    int pollerHelpers() {
        lockFor(Thread.currentThread());
        try {
            forgetGoneHelpers();
            return pollerHelpers.length;
        } finally {
            lock.unlock();
        }
    }

    /** The carriers alive now, relief carriers included. */
    int carriers() {
        return carriers.size();
    }

    /** Queues a virtual thread's continuation: the JDK calls this to start, unpark or resume a yielder. */
    @Override
    public void execute(Runnable continuation) {
        Thread caller = Thread.currentThread();
        boolean wakePoller = false;
        lockFor(caller);
        try {
            if (isPollerHelper(continuation) || wokenByMasterPoller(caller, continuation)) {
                if (pollerLane.isEmpty()) {
                    laneDue = taken + Math.min(queue.size(), LANE_DISTANCE);
                }
                pollerLane.addLast(continuation);
            } else {
                queue.addLast(continuation);
            }
            backlog = queue.size() + pollerLane.size();
            if (caller == pollingCarrier) {
                // The poller reports what it saw: it takes the first itself, and wakes help for more.
                if (idle > 0 && backlog > 1) {
                    workArrived.signal();
                }
            } else if (idle > 0) {
                workArrived.signal();
            } else if (pollingCarrier != null && !pollerWoken) {
                pollerWoken = true;
                wakePoller = true;
            }
            if (monitorAsleep) {
                monitorAsleep = false;
                LockSupport.unpark(monitor);
            }
        } finally {
            lock.unlock();
        }
        if (wakePoller) {
            readiness.wakeUp(); // a system call: after the lock, which virtual threads spin on
        }
    }

    private boolean isPollerHelper(Runnable continuation) {
        for (WeakReference<?> helper : pollerHelpers) {
            if (helper.get() == continuation) {
                return true;
            }
        }
        return false;
    }

    /** Whether the JDK's master poller submits this (and then remembers it as a poller helper's). */
    private boolean wokenByMasterPoller(Thread caller, Runnable continuation) {
        if (caller.isVirtual() || !JDK_MASTER_POLLER.equals(caller.getName())) {
            return false;
        }
        forgetGoneHelpers();
        if (pollerHelpers.length == MAX_POLLER_HELPERS) {
            return false;
        }
        WeakReference<?>[] known = Arrays.copyOf(pollerHelpers, pollerHelpers.length + 1);
        known[pollerHelpers.length] = new WeakReference<>(continuation);
        pollerHelpers = known;
        return true;
    }

    /** Drops the helpers whose threads are gone (lock held). */
    private void forgetGoneHelpers() {
        pollerHelpers = Arrays.stream(pollerHelpers).filter(helper -> helper.get() != null)
                .toArray(WeakReference<?>[]::new);
    }

    /** The next continuation, from the lane when it is due, or null when nothing waits (lock held). */
    private Runnable poll() {
        Runnable next;
        if (!pollerLane.isEmpty() && (taken >= laneDue || queue.isEmpty())) {
            next = pollerLane.pollFirst();
            if (!pollerLane.isEmpty()) {
                laneDue = taken + 1 + Math.min(queue.size(), LANE_DISTANCE);
            }
        } else {
            next = queue.pollFirst();
        }
        if (next != null) {
            taken++;
            backlog = queue.size() + pollerLane.size();
        }
        return next;
    }

    /** Whether anything waits for a carrier (lock held). */
    private boolean anyWaiting() {
        return !queue.isEmpty() || !pollerLane.isEmpty();
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

    /** A carrier's loop: run what the queue holds, in order; a relief carrier leaves when not needed. */
    private void carry(Carrier self) {
        while (true) {
            Runnable next = self.relieves == null ? take(self) : takeWhileNeeded(self);
            if (next == null) {
                retire(self);
                return;
            }
            self.begin();
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
            } finally {
                self.end();
            }
            if (readiness != null && ++self.sincePoll >= LANE_DISTANCE) {
                self.sincePoll = 0;
                pollReadiness(self, 0); // a long queue: the connections the poller would wake join it now
            }
        }
    }

    /**
     * Waits in the carriers' epoll as the one carrier there, up to {@code timeoutMillis} (-1: until
     * something comes); work queued meanwhile by others wakes it. Called, and returns, with the lock held.
     */
    private void pollAsTheWaitingCarrier(Carrier self, int timeoutMillis) {
        pollingCarrier = Thread.currentThread();
        pollerWoken = false;
        lock.unlock();
        try {
            self.sincePoll = 0;
            pollReadiness(self, timeoutMillis);
        } finally {
            lock.lock();
            pollingCarrier = null;
        }
    }

    /** Polls the carriers' epoll, waiting up to {@code timeoutMillis} (-1: until something comes; 0: not at all). */
    private void pollReadiness(Carrier self, int timeoutMillis) {
        if (self.events == 0) {
            self.events = readiness.takeEventArray();
        }
        pollReadiness(self.events, timeoutMillis);
    }

    /**
     * Polls into {@code events}. A poll by anyone but the waiting carrier may take the wake-up meant
     * for it (one edge of the eventfd, for one poller). A busy carrier's poll loses nothing: the work
     * that wake-up was for is in the queue, which it goes back to (sending the wake-up again instead
     * cost 20% more CPU per request at 9,000 connections, unpinned: BENCHMARKS.md, "The carriers' own
     * epoll"). The monitor does not go back to the queue, so it polls only when it sees no carrier
     * waiting in the epoll (one may begin to, just then); a relief carrier that leaves hands what waits
     * to a waiting carrier ({@link #wakeACarrierForWaitingWork()}). Should a wake-up be lost all the
     * same, the monitor hands on work that waited a whole tick while none was taken (a server that hung
     * in its shutdown, waiting for a thread that was queued with no carrier awake, found this).
     */
    private void pollReadiness(long events, int timeoutMillis) {
        try {
            readiness.poll(events, timeoutMillis);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the carriers' epoll failed", e);
        }
    }

    /** A relief carrier leaves: the monitor may start another for the same stuck run if it must. */
    private void retire(Carrier relief) {
        if (relief.events != 0) {
            readiness.giveEventArray(relief.events);
        }
        carriers.remove(relief);
        relief.relieves.relief = null;
    }

    /**
     * The next continuation, waiting for one as long as it takes: in the carriers' epoll when no other
     * carrier waits there, so that the connection whose bytes come runs on the carrier that saw them.
     */
    private Runnable take(Carrier self) {
        lock.lock();
        try {
            Runnable next = poll();
            while (next == null) {
                if (readiness != null && pollingCarrier == null) {
                    pollAsTheWaitingCarrier(self, -1);
                    next = poll();
                    continue;
                }
                idle++;
                try {
                    workArrived.awaitUninterruptibly();
                } finally {
                    idle--;
                }
                next = poll();
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next continuation while the carrier this one relieves is still stuck, waiting up to a tick for
     * one; null when the stuck carrier is back or nothing came.
     */
    private Runnable takeWhileNeeded(Carrier self) {
        boolean wakePoller = false;
        lock.lock();
        try {
            long left = TICK_NANOS;
            while (self.relieves.runs() == self.stuckAt) {
                Runnable next = poll();
                if (next != null) {
                    return next;
                }
                if (left <= 0) {
                    return null;
                }
                if (readiness != null && pollingCarrier == null) {
                    // the stuck carrier may be the one that would wait in epoll: wait there instead
                    long start = System.nanoTime();
                    pollAsTheWaitingCarrier(self, (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    left -= System.nanoTime() - start;
                    continue;
                }
                idle++;
                try {
                    left = workArrived.awaitNanos(left);
                } catch (InterruptedException e) {
                    break; // no one interrupts a carrier; if someone does, this one goes
                } finally {
                    idle--;
                }
            }
            // It may have taken the wake-up meant for work that waits, or been the one polling while the
            // carrier it relieved came back to wait on the condition: pass them on.
            if (anyWaiting()) {
                wakePoller = wakeACarrierForWaitingWork();
            } else if (readiness != null && pollingCarrier == null && idle > 0) {
                workArrived.signal();
            }
            return null;
        } finally {
            lock.unlock();
            if (wakePoller) {
                readiness.wakeUp();
            }
        }
    }

    /**
     * Wakes a carrier for the work that waits, which may have lost its wake-up to a poll that took the
     * eventfd's edge: one waiting on the condition, else the one in the epoll, whom the caller must then
     * {@linkplain ReadinessPoller#wakeUp() wake} after the lock (the return value says so). Lock held.
     */
    private boolean wakeACarrierForWaitingWork() {
        if (!anyWaiting()) {
            return false;
        }
        if (idle > 0) {
            workArrived.signal();
            return false;
        }
        if (pollingCarrier != null) {
            pollerWoken = true;
            return true;
        }
        return false; // every carrier is running: each comes back to the queue
    }

    /**
     * The monitor's loop: every tick, a carrier still on the run it was on a tick ago is stuck, and gets
     * a relief carrier if anything waits in the queue. Sleeps while every carrier waits for work.
     */
    private void watch() {
        while (true) {
            LockSupport.parkNanos(TICK_NANOS);
            boolean anyStuck = false;
            for (Carrier carrier : carriers) {
                long runs = carrier.runs();
                carrier.stuck = runs == carrier.seenRuns && Carrier.running(runs);
                carrier.seenRuns = runs;
                anyStuck |= carrier.stuck;
            }
            if (anyStuck && readiness != null && pollingCarrier == null) {
                // A stuck carrier may be the one that would have polled: connections whose bytes
                // came wait in the epoll, not in the queue, so look there before judging the queue
                // (unless a carrier waits there: it sees them, and a poll here could take its wake-up).
                if (monitorEvents == 0) {
                    monitorEvents = readiness.takeEventArray();
                }
                pollReadiness(monitorEvents, 0);
            }
            passOnWorkNoOneTook();
            boolean waiting = backlog > 0;
            for (Carrier carrier : carriers) {
                long runs = carrier.seenRuns;
                if (carrier.stuck && waiting && carrier.relief == null && carriers.size() < MAX_CARRIERS) {
                    Carrier relief = new Carrier(carrier, runs);
                    carrier.relief = relief;
                    reliefs++; // before it runs, so that whoever sees its work done sees it counted
                    if (!startCarrier(relief, "jhttpd-relief-carrier-" + reliefs)) {
                        reliefs--;
                    }
                }
            }
            sleepWhileQuiet();
        }
    }

    /**
     * The monitor's guard against a lost wake-up: work that waited a whole tick while no carrier took
     * any (its wake-up taken by another poll, the monitor's own just now among them) goes to a waiting
     * carrier. A carrier that runs will come back to the queue; one stuck gets relief below.
     */
    private void passOnWorkNoOneTook() {
        boolean wakePoller = false;
        lock.lock();
        try {
            if (taken == takenAtLastTick) {
                wakePoller = wakeACarrierForWaitingWork();
            }
            takenAtLastTick = taken;
        } finally {
            lock.unlock();
        }
        if (wakePoller) {
            readiness.wakeUp();
        }
    }

    /** Parks the monitor while every permanent carrier waits for work and no relief carrier lives. */
    private void sleepWhileQuiet() {
        lock.lock();
        try {
            if (readiness != null && pollingCarrier == null && idle > 0) {
                workArrived.signal(); // no one waits in the epoll: one of the idle carriers will
                return;
            }
            int waiting = idle + (pollingCarrier != null ? 1 : 0);
            if (waiting < permanent || anyWaiting() || carriers.size() > permanent) {
                return;
            }
            monitorAsleep = true;
            takenAtLastTick = taken; // the first tick after waking judges what was taken from then on
        } finally {
            lock.unlock();
        }
        while (true) {
            LockSupport.park(this);
            lock.lock();
            try {
                if (!monitorAsleep) {
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Starts a carrier's thread; false when a relief carrier's could not be had. */
    private boolean startCarrier(Carrier carrier, String name) {
        carriers.add(carrier);
        try {
            daemon(name, () -> carry(carrier)).start();
            return true;
        } catch (OutOfMemoryError | RuntimeException e) {
            if (carrier.relieves == null) {
                throw e;
            }
            retire(carrier); // no thread to be had: the stuck carrier's work waits, and the next tick tries again
            LOG.log(System.Logger.Level.WARNING, "no relief carrier could be started: {0}", e.toString());
            return false;
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = Thread.ofPlatform().daemon().inheritInheritableThreadLocals(false).name(name).unstarted(task);
        // It may live as long as the JVM: it must not hold on to the class loader of whoever came first.
        thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        return thread;
    }

    /**
     * One carrier's progress, for the monitor: its count of runs, odd while a continuation runs. Written
     * by the carrier alone with release stores (plain stores on x86), read by the monitor.
     */
    private static final class Carrier {

        private static final VarHandle RUNS;

        static {
            try {
                RUNS = MethodHandles.lookup().findVarHandle(Carrier.class, "runs", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** The carrier this one stands in for while it is stuck; null for a permanent carrier. */
        final Carrier relieves;
        /** {@code relieves}' count of runs when it was found stuck. */
        final long stuckAt;
        @SuppressWarnings("unused") // through RUNS
        private long runs;
        /** The monitor's: the count it saw a tick ago. */
        long seenRuns;
        /** The monitor's: whether the carrier was on the same run for the whole last tick. */
        boolean stuck;
        /** The carrier's: its native array for epoll's events, 0 until its first poll. */
        long events;
        /** The carrier's: continuations run since it last polled the carriers' epoll. */
        int sincePoll;
        /** The relief carrier standing in for this one while it lives (set by the monitor, cleared by the relief). */
        volatile Carrier relief;

        Carrier(Carrier relieves, long stuckAt) {
            this.relieves = relieves;
            this.stuckAt = stuckAt;
        }

        void begin() {
            RUNS.setRelease(this, (long) RUNS.get(this) + 1);
        }

        void end() {
            RUNS.setRelease(this, (long) RUNS.get(this) + 1);
        }

        long runs() {
            return (long) RUNS.getAcquire(this);
        }

        static boolean running(long runs) {
            return (runs & 1) == 1;
        }
    }
}
