package io.jhttpd.app.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread that writes to a SQLite database, committing many callers' writes at once.
 *
 * <p>A caller {@linkplain #submit submits} a write and blocks (a virtual thread parks) until the
 * transaction holding it has committed. The writer takes every write waiting in the queue, up to
 * {@code maxBatch}, runs them in one transaction and commits once, so one fsync makes them all
 * durable; only then does it complete each caller's future. Under load, the writes that arrive
 * during one commit's fsync form the next batch: the commit rate stays at what the disk allows,
 * and the write rate grows with the number of waiting callers. With {@code maxBatch} 1 every write
 * is its own transaction and fsync (the benchmark's baseline).
 *
 * <p>If any write in a batch or the commit fails, the whole batch rolls back and every caller in it
 * gets {@link StoreUnavailableException}: nothing is acknowledged that was not committed. The next
 * batch starts on a fresh connection.
 *
 * <pre>{@code
 * var writer = new GroupCommitWriter(() -> open(file), 1000, "jhttpd-sqlite-writer");
 * long id = writer.submit(connection -> insert(connection, text));
 * }</pre>
 */
final class GroupCommitWriter implements AutoCloseable {

    /** One write, run on the writer's connection inside a transaction the writer owns. */
    @FunctionalInterface
    interface Write<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Opens the writer's connection, with auto-commit off; called again after a failed batch. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private record Pending<T>(Write<T> write, CompletableFuture<T> done) {
    }

    /** How long a caller waits for its commit; far above any healthy fsync, even of a 1000-write batch. */
    static final long COMMIT_TIMEOUT_SECONDS = 30;

    private static final Pending<Void> STOP = new Pending<>(c -> null, new CompletableFuture<>());

    private final Opener opener;
    private final int maxBatch;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock admission = new ReentrantLock();
    private final AtomicLong commits = new AtomicLong();
    private final Thread thread;
    private boolean closed;
    private Connection connection;

    GroupCommitWriter(Opener opener, int maxBatch, String threadName) throws SQLException {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.opener = opener;
        this.maxBatch = maxBatch;
        this.connection = opener.open();
        // A platform thread: it spends its life in JNI calls and fsync, which would hold a carrier anyway.
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).start(this::run);
    }

    /**
     * Runs {@code write} in the next group commit and returns its result once that commit is durable.
     *
     * @throws StoreUnavailableException when the batch or its commit failed, the commit took longer than
     *                                   {@value #COMMIT_TIMEOUT_SECONDS} s (the write may still happen), or
     *                                   the writer is closed
     */
    <T> T submit(Write<T> write) {
        Pending<T> pending = new Pending<>(write, new CompletableFuture<>());
        admission.lock();
        try {
            if (closed) {
                throw new StoreUnavailableException("The store is closed", null);
            }
            queue.add(pending);
        } finally {
            admission.unlock();
        }
        try {
            // Bounded, so that a disk that stops answering (or a writer that died) costs a 503, not a hang.
            return pending.done().get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("The commit did not finish within " + COMMIT_TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreUnavailableException("The write failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while waiting for the commit", e);
        }
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

    private void run() {
        List<Pending<?>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() stops the writer, by queueing STOP
            }
            queue.drainTo(batch, maxBatch - 1);
            int stop = batch.indexOf(STOP);
            if (stop >= 0) {
                commit(batch.subList(0, stop));
                closeConnection();
                return;
            }
            commit(batch);
            batch.clear();
        }
    }

    private void commit(List<Pending<?>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Object> results = new ArrayList<>(batch.size());
        try {
            if (connection == null) {
                connection = opener.open();
            }
            for (Pending<?> pending : batch) {
                results.add(pending.write().apply(connection));
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollBackAndDrop();
            StoreUnavailableException failure = new StoreUnavailableException("The write could not be committed", e);
            batch.forEach(pending -> pending.done().completeExceptionally(failure));
            return;
        }
        commits.incrementAndGet();
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> pending, Object result) {
        pending.done().complete((T) result);
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

    /** Commits what was submitted before, then stops the thread and closes the connection. */
    @Override
    public void close() {
        admission.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        } finally {
            admission.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
