package io.jhttpd.app.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer on its own: how it cuts batches, and what a caller gets when it stops waiting. Writes are
 * lined up deterministically behind one that holds the writer, never by timing.
 */
class GroupCommitWriterTest {

    /** A test write: runs its step on the writer's connection and returns what the step returns. */
    @FunctionalInterface
    interface Step {
        Object run() throws SQLException;
    }

    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private GroupCommitWriter<Step> writer;

    private GroupCommitWriter<Step> open(int maxBatch, long timeoutNanos) throws SQLException {
        GroupCommitWriter.Batch<Step> runner = (connection, steps) -> {
            batchSizes.add(steps.size());
            Object[] results = new Object[steps.size()];
            for (int i = 0; i < results.length; i++) {
                results[i] = steps.get(i).run();
            }
            return results;
        };
        writer = new GroupCommitWriter<>(GroupCommitWriterTest::memoryDatabase, runner, maxBatch, "test-writer", timeoutNanos);
        return writer;
    }

    @AfterEach
    void closeWriter() {
        release.countDown();
        if (writer != null) {
            writer.close();
        }
    }

    @Test
    void aBatchTakesAtMostMaxBatchWritesAndEachCallerGetsItsOwnResult() throws Exception {
        open(10, TimeUnit.SECONDS.toNanos(30));
        Thread blocker = holdTheWriter();
        List<Integer> results = new CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            int n = i;
            callers.add(Thread.ofVirtual().start(() -> results.add(writer.<Integer>submit(() -> n))));
            awaitTrue(() -> writer.waiting() == n + 1); // queued in this order
        }
        release.countDown();
        blocker.join();
        for (Thread caller : callers) {
            caller.join();
        }
        assertThat(batchSizes).containsExactly(1, 10, 10, 5);
        assertThat(writer.commits()).isEqualTo(4);
        assertThat(results).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 25).boxed().toList());
    }

    @Test
    void aCallerPastItsDeadlineGets503AndItsQueuedWriteIsNeverRun() throws Exception {
        open(1000, TimeUnit.MILLISECONDS.toNanos(200));
        AtomicReference<Throwable> blockerFailure = new AtomicReference<>();
        Thread blocker = Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> blockerFailure.set(e))
                .start(() -> writer.submit(this::holdUntilReleased));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Throwable> queuedFailure = new AtomicReference<>();
        Thread queued = Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> queuedFailure.set(e))
                .start(() -> writer.submit(() -> ran.getAndSet(true)));

        // Both callers give up while the writer is still held: the running write and the queued one.
        blocker.join(TimeUnit.SECONDS.toMillis(30));
        queued.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(blockerFailure.get()).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("within");
        assertThat(queuedFailure.get()).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("within");

        release.countDown();
        writer.submit(() -> null); // a later write commits, behind where the queued one was
        assertThat(ran).as("the write whose caller gave up while it was queued").isFalse();
    }

    @Test
    void anInterruptedCallerGets503KeepsItsInterruptAndItsQueuedWriteIsNeverRun() throws Exception {
        open(1000, TimeUnit.SECONDS.toNanos(30));
        Thread blocker = holdTheWriter();
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                writer.submit(() -> ran.getAndSet(true));
            } catch (StoreUnavailableException e) {
                failure.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitTrue(() -> writer.waiting() == 1);
        caller.interrupt();
        caller.join();
        assertThat(failure.get()).hasMessageContaining("Interrupted");
        assertThat(stillInterrupted).isTrue();

        release.countDown();
        blocker.join();
        writer.submit(() -> null);
        assertThat(ran).isFalse();
    }

    @Test
    void closeCommitsWhatWasQueuedThenRefusesNewWrites() throws Exception {
        open(1000, TimeUnit.SECONDS.toNanos(30));
        Thread blocker = holdTheWriter();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread queued = Thread.ofVirtual().start(() -> result.set(writer.submit(() -> "done")));
        awaitTrue(() -> writer.waiting() == 1);
        Thread closer = Thread.ofVirtual().start(writer::close);
        release.countDown();
        closer.join();
        blocker.join();
        queued.join();
        assertThat(result.get()).isEqualTo("done");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.submit(() -> null))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("closed");
    }

    /** A writer thread killed by an Error: its callers get 503 from the watchdog, and close() still returns. */
    @Test
    void aDeadWriterCosts503sNotHangs() throws Exception {
        open(1000, TimeUnit.SECONDS.toNanos(1));
        AtomicReference<Throwable> killerFailure = new AtomicReference<>();
        Thread killer = Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> killerFailure.set(e))
                .start(() -> writer.submit(() -> {
                    throw new StackOverflowError("a bug in a write");
                }));
        killer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(killerFailure.get()).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("within");

        AtomicReference<Throwable> queuedFailure = new AtomicReference<>();
        Thread queued = Thread.ofVirtual().start(() -> {
            try {
                writer.submit(() -> null);
            } catch (StoreUnavailableException e) {
                queuedFailure.set(e);
            }
        });
        awaitTrue(() -> writer.waiting() == 1 || queuedFailure.get() != null);
        Thread closer = Thread.ofVirtual().start(writer::close);
        closer.join(TimeUnit.SECONDS.toMillis(30));
        queued.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(closer.isAlive()).as("close() returned").isFalse();
        assertThat(queuedFailure.get()).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("closed");
    }

    private Thread holdTheWriter() throws InterruptedException {
        Thread blocker = Thread.ofVirtual().start(() -> writer.submit(this::holdUntilReleased));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        return blocker;
    }

    private Object holdUntilReleased() {
        holding.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static Connection memoryDatabase() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        c.setAutoCommit(false);
        return c;
    }

    /** Polls until {@code condition} holds; a generous deadline, never a timing assertion. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached within 30 s").isLessThan(deadline);
            Thread.sleep(2);
        }
    }
}
