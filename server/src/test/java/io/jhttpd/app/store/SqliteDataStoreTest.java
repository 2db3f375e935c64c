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
            List<Throwable> failures = new ArrayList<>();
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

            ObjectNode created = store.create(fields("{\"after\":1}"));
            assertThat(store.get(created.get("id").asLong())).isPresent();
        }
    }

    @Test
    void readsDoNotWaitForAnOpenWriteTransactionAndDoNotSeeIt() throws Exception {
        try (SqliteDataStore store = SqliteDataStore.open(dir.resolve("data.db"), true)) {
            long committed = store.create(fields("{\"v\":1}")).get("id").asLong();
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
            kept = store.create(fields("{\"name\":\"kept\",\"price\":1.50}")).get("id").asLong();
            deleted = store.create(fields("{\"name\":\"deleted\"}")).get("id").asLong();
            assertThat(store.delete(deleted)).isTrue();
        }
        try (SqliteDataStore store = SqliteDataStore.open(file, true)) {
            assertThat(Json.mapper().writeValueAsString(store.get(kept).orElseThrow()))
                    .isEqualTo("{\"id\":" + kept + ",\"name\":\"kept\",\"price\":1.50}");
            assertThat(store.create(fields("{}")).get("id").asLong()).isGreaterThan(deleted);
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
