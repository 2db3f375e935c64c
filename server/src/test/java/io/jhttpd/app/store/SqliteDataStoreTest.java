package io.jhttpd.app.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.app.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SQLite store's writer: writes that wait together commit together, a failed batch acknowledges
 * nothing, and what was committed is there after reopening. Writes are lined up deterministically
 * behind a write that holds the writer, never by timing.
 */
class SqliteDataStoreTest {

    @TempDir
    Path dir;

    private static ObjectNode fields(String json) throws Exception {
        return (ObjectNode) Json.mapper().readTree(json);
    }

    @ParameterizedTest(name = "group commit {0}: {1} transactions")
    @CsvSource({"true, 2", "false, 65"})
    void sixtyFourWritesWaitingTogetherCommitInOneTransaction(boolean groupCommit, long transactions) throws Exception {
        try (SqliteDataStore store = SqliteDataStore.open(dir.resolve("data.db"), groupCommit)) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            long before = store.commits();
            Thread blocker = Thread.ofVirtual().start(() -> store.writer().submit(new SqliteWrites.Run(c -> {
                holding.countDown();
                await(release);
                return null;
            })));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                writers.add(Thread.ofVirtual().start(() -> store.create(fieldsUnchecked("{\"n\":" + n + "}"))));
            }
            awaitTrue(() -> store.writer().waiting() == 64);
            release.countDown();
            blocker.join();
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(store.commits() - before).isEqualTo(transactions);
            assertThat(store.list()).hasSize(64);
        }
    }

    @Test
    void aFailedBatchAcknowledgesNothingAndTheNextBatchCommits() throws Exception {
        try (SqliteDataStore store = SqliteDataStore.open(dir.resolve("data.db"), true)) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread blocker = Thread.ofVirtual().start(() -> store.writer().submit(new SqliteWrites.Run(c -> {
                holding.countDown();
                await(release);
                return null;
            })));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            List<Throwable> failures = new CopyOnWriteArrayList<>(); // both handlers may add at once
            Thread good = Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> failures.add(e))
                    .start(() -> store.create(fieldsUnchecked("{\"good\":true}")));
            awaitTrue(() -> store.writer().waiting() == 1);
            Thread bad = Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> failures.add(e))
                    .start(() -> store.writer().submit(new SqliteWrites.Run(c -> {
                        throw new SQLException("disk I/O error");
                    })));
            awaitTrue(() -> store.writer().waiting() == 2);
            release.countDown();
            blocker.join();
            good.join();
            bad.join();
            assertThat(failures).hasSize(2).allMatch(e -> e instanceof StoreUnavailableException);
            assertThat(store.list()).isEmpty();

            Item created = store.create(fields("{\"after\":1}"));
            assertThat(store.get(created.id())).isPresent();
        }
    }

    /** More inserts in one batch than one INSERT statement takes: each caller still gets its own row's id. */
    @Test
    void theInsertsOfOneBatchGetConsecutiveIdsEachCallerItsOwn() throws Exception {
        int writes = 2 * SqliteWrites.ROWS_PER_INSERT + 22;
        try (SqliteDataStore store = SqliteDataStore.open(dir.resolve("data.db"), true)) {
            long before = store.create(fields("{\"n\":-1}")).id();
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread blocker = Thread.ofVirtual().start(() -> store.writer().submit(new SqliteWrites.Run(c -> {
                holding.countDown();
                await(release);
                return null;
            })));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            long commits = store.commits();
            Map<Integer, Long> idOf = new ConcurrentHashMap<>();
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                int n = i;
                writers.add(Thread.ofVirtual().start(() ->
                        idOf.put(n, store.create(fieldsUnchecked("{\"n\":" + n + "}")).id())));
            }
            awaitTrue(() -> store.writer().waiting() == writes);
            release.countDown();
            blocker.join();
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(store.commits() - commits).as("the held batch and one more").isEqualTo(2);
            assertThat(idOf).hasSize(writes);
            assertThat(idOf.values()).doesNotHaveDuplicates().allMatch(id -> id > before)
                    .hasSameElementsAs(java.util.stream.LongStream.rangeClosed(before + 1, before + writes).boxed().toList());
            idOf.forEach((n, id) -> assertThat(store.get(id).orElseThrow().toTree().get("n").asInt()).as("item %d", id).isEqualTo(n));
        }
    }

    @Test
    void updatesAndDeletesShareABatchWithInsertsAndEachGetsItsOwnAnswer() throws Exception {
        try (SqliteDataStore store = SqliteDataStore.open(dir.resolve("data.db"), true)) {
            long kept = store.create(fields("{\"v\":\"old\"}")).id();
            long gone = store.create(fields("{\"v\":\"gone\"}")).id();
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread blocker = Thread.ofVirtual().start(() -> store.writer().submit(new SqliteWrites.Run(c -> {
                holding.countDown();
                await(release);
                return null;
            })));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            long commits = store.commits();
            AtomicReference<Object> created = new AtomicReference<>();
            AtomicReference<Object> replaced = new AtomicReference<>();
            AtomicReference<Object> replacedMissing = new AtomicReference<>();
            AtomicReference<Object> deleted = new AtomicReference<>();
            AtomicReference<Object> deletedMissing = new AtomicReference<>();
            List<Thread> writers = List.of(
                    Thread.ofVirtual().start(() -> created.set(store.create(fieldsUnchecked("{\"v\":\"new\"}")))),
                    Thread.ofVirtual().start(() -> replaced.set(store.replace(kept, fieldsUnchecked("{\"v\":\"newer\"}")))),
                    Thread.ofVirtual().start(() -> replacedMissing.set(store.replace(999, fieldsUnchecked("{}")))),
                    Thread.ofVirtual().start(() -> deleted.set(store.delete(gone))),
                    Thread.ofVirtual().start(() -> deletedMissing.set(store.delete(998))));
            awaitTrue(() -> store.writer().waiting() == writers.size());
            release.countDown();
            blocker.join();
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(store.commits() - commits).isEqualTo(2);
            assertThat(created.get().toString()).isEqualTo("{\"id\":" + (gone + 1) + ",\"v\":\"new\"}");
            assertThat(replaced.get().toString()).isEqualTo("Optional[{\"id\":" + kept + ",\"v\":\"newer\"}]");
            assertThat(replacedMissing.get()).isEqualTo(Optional.empty());
            assertThat(deleted.get()).isEqualTo(true);
            assertThat(deletedMissing.get()).isEqualTo(false);
            assertThat(store.list().toString())
                    .isEqualTo("[{\"id\":" + kept + ",\"v\":\"newer\"}, {\"id\":" + (gone + 1) + ",\"v\":\"new\"}]");
        }
    }

    /**
     * Batch 1 commits, batch 2 fails, batch 3 commits: only batch 2's callers get 503, and only its
     * writes are missing. Batch 1 holds the writer (before its inserts run) until batch 2 is queued.
     */
    @Test
    void aFailedBatchFailsExactlyItsOwnWrites() throws Exception {
        try (SqliteDataStore store = SqliteDataStore.open(dir.resolve("data.db"), true)) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread blocker = Thread.ofVirtual().start(() -> store.writer().submit(new SqliteWrites.Run(c -> {
                holding.countDown();
                await(release);
                return null;
            })));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            CountDownLatch holdingBatch1 = new CountDownLatch(1);
            CountDownLatch releaseBatch1 = new CountDownLatch(1);
            Map<String, Object> outcome = new ConcurrentHashMap<>();
            List<Thread> batch1 = List.of(
                    create(store, "a1", outcome), create(store, "a2", outcome),
                    Thread.ofVirtual().start(() -> store.writer().submit(new SqliteWrites.Run(c -> {
                        holdingBatch1.countDown();
                        await(releaseBatch1);
                        return null;
                    }))));
            awaitTrue(() -> store.writer().waiting() == 3);
            release.countDown();
            assertThat(holdingBatch1.await(30, TimeUnit.SECONDS)).isTrue();
            List<Thread> batch2 = List.of(create(store, "b1", outcome), create(store, "b2", outcome),
                    Thread.ofVirtual().start(() -> {
                        try {
                            store.writer().submit(new SqliteWrites.Run(c -> {
                                try (var partial = c.prepareStatement("INSERT INTO items (body) VALUES ('{\"k\":\"partial\"}')")) {
                                    partial.executeUpdate(); // applied, then rolled back with the batch
                                }
                                throw new SQLException("disk I/O error");
                            }));
                        } catch (StoreUnavailableException e) {
                            outcome.put("bad", e);
                        }
                    }));
            awaitTrue(() -> store.writer().waiting() == 3);
            releaseBatch1.countDown();
            for (Thread t : concat(List.of(blocker), batch1, batch2)) {
                t.join();
            }
            create(store, "c1", outcome).join();

            assertThat(outcome.get("b1")).isInstanceOf(StoreUnavailableException.class);
            assertThat(outcome.get("b2")).isInstanceOf(StoreUnavailableException.class);
            assertThat(outcome.get("bad")).isInstanceOf(StoreUnavailableException.class);
            long a1 = (Long) outcome.get("a1");
            long a2 = (Long) outcome.get("a2");
            long c1 = (Long) outcome.get("c1");
            assertThat(c1).isGreaterThan(Math.max(a1, a2));
            assertThat(store.list().stream().map(item -> item.toTree().get("k").asText()).toList()).containsExactly(
                    a1 < a2 ? new String[]{"a1", "a2", "c1"} : new String[]{"a2", "a1", "c1"});
        }
    }

    /** Creates {"k":key} on a virtual thread; records the id, or the StoreUnavailableException. */
    private static Thread create(SqliteDataStore store, String key, Map<String, Object> outcome) {
        return Thread.ofVirtual().start(() -> {
            try {
                outcome.put(key, store.create(fieldsUnchecked("{\"k\":\"" + key + "\"}")).id());
            } catch (StoreUnavailableException e) {
                outcome.put(key, e);
            }
        });
    }

    @SafeVarargs
    private static List<Thread> concat(List<Thread>... lists) {
        List<Thread> all = new ArrayList<>();
        for (List<Thread> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    @Test
    void readsDoNotWaitForAnOpenWriteTransactionAndDoNotSeeIt() throws Exception {
        try (SqliteDataStore store = SqliteDataStore.open(dir.resolve("data.db"), true)) {
            long committed = store.create(fields("{\"v\":1}")).id();
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread writer = Thread.ofVirtual().start(() -> store.writer().submit(new SqliteWrites.Run(c -> {
                try (var insert = c.prepareStatement("INSERT INTO items (body) VALUES ('{\"uncommitted\":true}')")) {
                    insert.executeUpdate();
                }
                holding.countDown();
                await(release);
                return null;
            })));
            try {
                assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
                // The writer holds the write lock with a row inserted; reads go on, on the last commit.
                assertThat(store.get(committed)).isPresent();
                assertThat(store.list()).hasSize(1);
            } finally {
                release.countDown();
                writer.join();
            }
            assertThat(store.list()).hasSize(2);
        }
    }

    @Test
    void itemsAndTheLastIdSurviveClosingAndReopening() throws Exception {
        Path file = dir.resolve("data.db");
        long kept;
        long deleted;
        try (SqliteDataStore store = SqliteDataStore.open(file, true)) {
            kept = store.create(fields("{\"name\":\"kept\",\"price\":1.50}")).id();
            deleted = store.create(fields("{\"name\":\"deleted\"}")).id();
            assertThat(store.delete(deleted)).isTrue();
        }
        try (SqliteDataStore store = SqliteDataStore.open(file, true)) {
            assertThat(store.get(kept).orElseThrow().toString())
                    .isEqualTo("{\"id\":" + kept + ",\"name\":\"kept\",\"price\":1.50}");
            assertThat(store.create(fields("{}")).id()).isGreaterThan(deleted);
        }
    }

    private static ObjectNode fieldsUnchecked(String json) {
        try {
            return fields(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
