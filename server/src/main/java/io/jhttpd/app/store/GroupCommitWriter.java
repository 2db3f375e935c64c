package io.jhttpd.app.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread that writes to a SQLite database, committing many callers' writes at once.
 *
 * <p>A caller {@linkplain #submit submits} a write and blocks (a virtual thread parks) until the
 * transaction holding it has committed. The writer takes every write waiting in the queue, up to
 * {@code maxBatch}, runs them in one transaction and commits once, so one fsync makes them all
 * durable; only then does it wake each caller. Under load, the writes that arrive during one commit's
 * fsync form the next batch: the commit rate stays at what the disk allows, and the write rate grows
 * with the number of waiting callers. With {@code maxBatch} 1 every write is its own transaction and
 * fsync (the benchmark's baseline), through the same code.
 *
 * <p>If any write in a batch or the commit fails, the whole batch rolls back and every caller in it
 * gets {@link StoreUnavailableException}: nothing is acknowledged that was not committed. The next
 * batch starts on a fresh connection.
 *
 * <p><b>The hand-off costs no timer per write.</b> The queue is lock-free; the writer parks only when
 * it finds the queue empty, and the first caller to queue a write after that wakes it. A caller parks
 * without a timeout: a timed park of a virtual thread schedules (and cancels) a task on the JDK's
 * delay scheduler and wakes that scheduler's thread, which took 12% of the server's CPU under 64
 * connections of POSTs. The {@value #COMMIT_TIMEOUT_SECONDS} s bound is kept by a watchdog thread
 * instead, which once a second fails the writes whose callers have waited too long. A write whose
 * caller gave up (late or interrupted) before the writer took it is never run; one already running
 * may still commit.
 *
 * <pre>{@code
 * var writer = new GroupCommitWriter<String>(() -> open(file), (connection, texts) -> insertAll(connection, texts),
 *         1000, "jhttpd-sqlite-writer");
 * long id = writer.submit(text);
 * }</pre>
 */
final class GroupCommitWriter<W> implements AutoCloseable {

    /**
     * Runs one transaction's writes on the writer's connection, before the writer commits: result
     * {@code i} is write {@code i}'s, handed to its caller once the commit is durable. A throw fails
     * the whole batch. The writes of one batch were all waiting at once, none acknowledged before
     * another was submitted, so the runner may apply them in any order (for example, all inserts in
     * one statement).
     */
    @FunctionalInterface
    interface Batch<W> {
        Object[] run(Connection connection, List<W> writes) throws SQLException;
    }

    /** Opens the writer's connection, with auto-commit off; called again after a failed batch. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    /** How long a caller waits for its commit; far above any healthy fsync, even of a 1000-write batch. */
    static final long COMMIT_TIMEOUT_SECONDS = 30;
    /** How often the watchdog looks for callers past their deadline. */
    private static final long WATCHDOG_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Opener opener;
    private final Batch<W> runner;
    private final int maxBatch;
    private final long timeoutNanos;
    private final ConcurrentLinkedQueue<PendingWrite> queue = new ConcurrentLinkedQueue<>();
    /** Guards {@link #closed} against a submit racing close(): nothing is queued behind the stop mark. */
    private final ReentrantLock admission = new ReentrantLock();
    private final AtomicLong commits = new AtomicLong();
    private final Thread thread;
    private final Thread watchdog;
    private boolean closed;
    /** True while the writer is parked (or about to park) on an empty queue; see {@link #wakeWriter()}. */
    private volatile boolean idle;
    /** The batch the writer is running, for the watchdog; null between batches. */
    private volatile List<PendingWrite> running;
    private volatile boolean stopped;
    private Connection connection;

    GroupCommitWriter(Opener opener, Batch<W> runner, int maxBatch, String threadName) throws SQLException {
        this(opener, runner, maxBatch, threadName, TimeUnit.SECONDS.toNanos(COMMIT_TIMEOUT_SECONDS));
    }

    /** With another commit timeout: for tests of the watchdog. */
    GroupCommitWriter(Opener opener, Batch<W> runner, int maxBatch, String threadName, long timeoutNanos)
            throws SQLException {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.opener = opener;
        this.runner = runner;
        this.maxBatch = maxBatch;
        this.timeoutNanos = timeoutNanos;
        this.connection = opener.open();
        // Platform threads: the writer spends its life in JNI calls and fsync, which would hold a carrier
        // anyway, and the watchdog must run when every carrier is busy.
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).start(this::run);
        this.watchdog = Thread.ofPlatform().name(threadName + "-watchdog").daemon(true).start(this::watch);
    }

    /**
     * Runs {@code write} in the next group commit and returns its result once that commit is durable.
     *
     * @throws StoreUnavailableException when the batch or its commit failed, the commit took longer than
     *                                   {@value #COMMIT_TIMEOUT_SECONDS} s (the write may still happen), the
     *                                   caller was interrupted (likewise), or the writer is closed
     */
    <T> T submit(W write) {
        Objects.requireNonNull(write, "write"); // null marks the stop
        PendingWrite pending = new PendingWrite(write, Thread.currentThread(), System.nanoTime() + timeoutNanos);
        admission.lock();
        try {
            if (closed) {
                throw new StoreUnavailableException("The store is closed", null);
            }
            queue.add(pending);
        } finally {
            admission.unlock();
        }
        wakeWriter();
        return pending.await();
    }

    /** Transactions committed so far: fewer than the writes when writes were grouped. */
    long commits() {
        return commits.get();
    }

    /** Whether the writer thread is still there to take writes (false after close). */
    boolean alive() {
        return thread.isAlive();
    }

    /** Writes waiting for the writer (for tests that line writes up behind a slow one). */
    int waiting() {
        return queue.size();
    }

    /**
     * Dekker's handshake with {@link #run()}: the caller queues then reads {@link #idle}, the writer sets
     * {@code idle} then polls the queue, so at least one of them sees the other. Only the caller that
     * flips {@code idle} back pays for the unpark.
     */
    private void wakeWriter() {
        if (idle && IDLE.compareAndSet(this, true, false)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        List<PendingWrite> batch = new ArrayList<>();
        while (true) {
            PendingWrite first = queue.poll();
            if (first == null) {
                idle = true;
                if (queue.isEmpty()) {
                    LockSupport.park(this); // woken by wakeWriter(); a spurious return just loops
                }
                idle = false;
                continue;
            }
            batch.add(first);
            PendingWrite next;
            while (batch.size() < maxBatch && (next = queue.poll()) != null) {
                batch.add(next);
            }
            int stop = indexOfStop(batch);
            if (stop >= 0) {
                commit(batch.subList(0, stop));
                closeConnection();
                return;
            }
            commit(batch);
            batch.clear();
        }
    }

    private static int indexOfStop(List<PendingWrite> batch) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).isStopMark()) {
                return i;
            }
        }
        return -1;
    }

    private void commit(List<PendingWrite> batch) {
        List<PendingWrite> claimed = new ArrayList<>(batch.size());
        for (PendingWrite pending : batch) {
            // A caller that gave up (timed out or interrupted while queued) is not written behind its back.
            if (pending.claim()) {
                claimed.add(pending);
            }
        }
        if (claimed.isEmpty()) {
            return;
        }
        running = claimed;
        List<W> writes = new ArrayList<>(claimed.size());
        for (PendingWrite pending : claimed) {
            @SuppressWarnings("unchecked") // only submit(W) queues writes
            W write = (W) pending.write();
            writes.add(write);
        }
        Object[] results;
        try {
            if (connection == null) {
                connection = opener.open();
            }
            results = runner.run(connection, writes);
            if (results.length != writes.size()) {
                throw new IllegalStateException(results.length + " results for " + writes.size() + " writes");
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollBackAndDrop();
            StoreUnavailableException failure = new StoreUnavailableException("The write could not be committed", e);
            claimed.forEach(pending -> pending.fail(failure));
            running = null;
            return;
        }
        commits.incrementAndGet();
        for (int i = 0; i < results.length; i++) {
            claimed.get(i).finish(results[i]);
        }
        running = null;
    }

    /** After a failure the connection's state is unknown: roll back what we can and reopen next time. */
    private void rollBackAndDrop() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is being replaced anyway
        }
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing is pending on it: every batch was committed or rolled back
            }
            connection = null;
        }
    }

    /** Once a second, fails every write whose caller has waited past its deadline, queued or running. */
    private void watch() {
        StoreUnavailableException late = new StoreUnavailableException(
                "The commit did not finish within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s", null);
        while (!stopped) {
            LockSupport.parkNanos(this, Math.min(WATCHDOG_PERIOD_NANOS, timeoutNanos));
            long now = System.nanoTime();
            List<PendingWrite> batch = running;
            if (batch != null) {
                batch.forEach(pending -> pending.expire(now, late));
            }
            queue.forEach(pending -> pending.expire(now, late));
        }
    }

    /** Commits what was submitted before, then stops both threads and closes the connection. */
    @Override
    public void close() {
        admission.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(PendingWrite.stopMark());
        } finally {
            admission.unlock();
        }
        wakeWriter();
        boolean interrupted = join(thread);
        // Only a writer that died of an Error leaves writes queued; their callers must not wait forever.
        StoreUnavailableException closedFailure = new StoreUnavailableException("The store is closed", null);
        queue.forEach(pending -> pending.giveUp(closedFailure));
        stopped = true;
        LockSupport.unpark(watchdog);
        interrupted |= join(watchdog);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for {@code t} to end, even when interrupted; returns whether it was. */
    private static boolean join(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    private static final VarHandle IDLE;

    static {
        try {
            IDLE = MethodHandles.lookup().findVarHandle(GroupCommitWriter.class, "idle", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
