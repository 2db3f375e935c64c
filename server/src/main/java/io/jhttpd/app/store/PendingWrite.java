package io.jhttpd.app.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One caller's write in a {@link GroupCommitWriter}'s queue, and what became of it. The caller parks in
 * {@link #await()}; the writer, the watchdog or the caller itself (on interrupt) settles the outcome
 * and unparks it.
 *
 * <p>{@code outcome} goes from null (queued) to {@link #CLAIMED} (the writer runs it) to a result,
 * {@link #NULL} or a {@link Failure}; a caller that gives up, the watchdog and close() move it straight
 * to a Failure. Each step is a compare-and-set, so exactly one outcome wins and the caller reads that
 * one: a write given up while queued is never claimed, so never run; one given up while claimed may
 * still commit, and its result is dropped.
 */
final class PendingWrite {

    /** The outcome of a write that failed. */
    private record Failure(StoreUnavailableException exception) {
    }

    /** The outcome of a write that returned null. */
    private static final Object NULL = new Object();
    /** The outcome while the writer runs the write: from now on it may commit. */
    private static final Object CLAIMED = new Object();
    private static final VarHandle OUTCOME;

    static {
        try {
            OUTCOME = MethodHandles.lookup().findVarHandle(PendingWrite.class, "outcome", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object write;
    private final Thread waiter;
    private final long deadline;
    private volatile Object outcome;

    /** @param deadline in {@link System#nanoTime()} time: past it, the watchdog fails the write */
    PendingWrite(Object write, Thread waiter, long deadline) {
        this.write = write;
        this.waiter = waiter;
        this.deadline = deadline;
    }

    /** The mark close() queues last: the writer commits what is before it, then stops. */
    static PendingWrite stopMark() {
        return new PendingWrite(null, null, 0);
    }

    boolean isStopMark() {
        return write == null;
    }

    Object write() {
        return write;
    }

    /** The writer takes the write; false when its caller has already given up. */
    boolean claim() {
        return OUTCOME.compareAndSet(this, null, CLAIMED);
    }

    /** The writer's result once the commit is durable; lost (harmlessly) when the caller gave up. */
    void finish(Object result) {
        settle(CLAIMED, result == null ? NULL : result);
    }

    /** The writer's verdict on a batch that rolled back. */
    void fail(StoreUnavailableException failure) {
        settle(CLAIMED, new Failure(failure));
    }

    /** The watchdog's check: fails the write if its caller has waited past the deadline. */
    void expire(long now, StoreUnavailableException late) {
        if (now - deadline >= 0) {
            giveUp(late);
        }
    }

    /** Fails the write and wakes its caller, unless it already has its outcome. */
    void giveUp(StoreUnavailableException failure) {
        if (isStopMark()) {
            return;
        }
        Failure failed = new Failure(failure);
        Object seen;
        while ((seen = outcome) == null || seen == CLAIMED) {
            if (OUTCOME.compareAndSet(this, seen, failed)) {
                LockSupport.unpark(waiter);
                return;
            }
        }
    }

    private void settle(Object expected, Object result) {
        if (OUTCOME.compareAndSet(this, expected, result)) {
            LockSupport.unpark(waiter);
        }
    }

    /**
     * Parks the caller until the outcome is settled; returns the write's result or throws.
     *
     * @throws StoreUnavailableException the batch failed, the deadline passed, the store closed, or the
     *                                   caller was interrupted (its interrupt status stays set)
     */
    @SuppressWarnings("unchecked")
    <T> T await() {
        Object result;
        while ((result = outcome) == null || result == CLAIMED) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                giveUp(new StoreUnavailableException("Interrupted while waiting for the commit", null));
                Thread.currentThread().interrupt();
            }
        }
        if (result instanceof Failure failure) {
            // A fresh exception per caller, so that each one's stack shows where it waited.
            throw new StoreUnavailableException(failure.exception().getMessage(), failure.exception().getCause());
        }
        return result == NULL ? null : (T) result;
    }
}
