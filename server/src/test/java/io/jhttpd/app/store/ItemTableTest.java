package io.jhttpd.app.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import static io.jhttpd.app.store.ItemTable.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

class ItemTableTest {

    private final ItemTable table = new ItemTable();

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private long add(String text) {
        long id = table.nextId();
        table.add(id, json(text));
        return id;
    }

    private List<Long> ids() {
        List<Long> ids = new ArrayList<>();
        table.forEach((id, json) -> ids.add(id));
        return ids;
    }

    @Test
    void keepsReplacesAndRemovesByIdAcrossPages() {
        for (int i = 0; i < 3 * PAGE_SIZE; i++) {
            add("item " + (i + 1));
        }
        assertThat(new String(table.get(1), StandardCharsets.UTF_8)).isEqualTo("item 1");
        assertThat(new String(table.get(2 * PAGE_SIZE + 1), StandardCharsets.UTF_8)).isEqualTo("item " + (2 * PAGE_SIZE + 1));
        assertThat(table.replace(PAGE_SIZE, json("new"))).isTrue();
        assertThat(new String(table.get(PAGE_SIZE), StandardCharsets.UTF_8)).isEqualTo("new");
        assertThat(table.remove(PAGE_SIZE)).isTrue();
        assertThat(table.remove(PAGE_SIZE)).isFalse();
        assertThat(table.get(PAGE_SIZE)).isNull();
        assertThat(table.replace(PAGE_SIZE, json("again"))).as("a replace never creates").isFalse();
        assertThat(table.get(PAGE_SIZE)).isNull();
        assertThat(ids()).hasSize(3 * PAGE_SIZE - 1).isSorted();
    }

    @Test
    void idsNoItemEverHadAreAbsentWhateverTheirSize() {
        add("one");
        for (long id : new long[] {0, -1, 2, PAGE_SIZE + 1, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThat(table.get(id)).as("get %d", id).isNull();
            assertThat(table.replace(id, json("x"))).as("replace %d", id).isFalse();
            assertThat(table.remove(id)).as("remove %d", id).isFalse();
        }
    }

    @Test
    void aPageIsDroppedOnceAllItsIdsWereIssuedAndAllItsItemsDeleted() {
        for (int i = 0; i < 3 * PAGE_SIZE; i++) {
            add("x");
        }
        assertThat(table.pages()).isEqualTo(3);
        for (long id = 1; id <= 2 * PAGE_SIZE; id++) {
            table.remove(id);
        }
        assertThat(table.pages()).isEqualTo(1);
        assertThat(ids()).first().isEqualTo(2L * PAGE_SIZE + 1);
    }

    @Test
    void aPageWhoseIdsAreStillComingIsKeptWhenEmpty() {
        long first = add("a");
        table.remove(first);
        assertThat(table.pages()).isEqualTo(1);
        long next = add("b");
        assertThat(new String(table.get(next), StandardCharsets.UTF_8)).isEqualTo("b");
    }

    @Test
    void creatingAndDeletingForEverDoesNotGrow() {
        for (int i = 0; i < 200 * PAGE_SIZE; i++) {
            table.remove(add("churn"));
        }
        assertThat(table.pages()).isLessThanOrEqualTo(1);
        assertThat(ids()).isEmpty();
    }

    @Test
    void anItemAddedAfterItsPageWasDroppedIsKept() {
        // The last id of the first page is issued, but its item not added yet (its creator is slow) ...
        for (int i = 0; i < PAGE_SIZE - 1; i++) {
            add("x");
        }
        long late = table.nextId();
        table.nextId(); // ... and the next page has begun, so every id of the first one is out
        // ... while every other item of the page is deleted: the page is dropped.
        for (long id = 1; id < late; id++) {
            table.remove(id);
        }
        assertThat(table.pages()).isZero();
        table.add(late, json("late"));
        assertThat(new String(table.get(late), StandardCharsets.UTF_8)).isEqualTo("late");
        assertThat(ids()).containsExactly(late);
    }

    @Test
    void concurrentWritersEndWithExactlyWhatEachOfThemLeft() throws Exception {
        int writers = 8;
        int steps = 20_000;
        List<Map<Long, String>> expected = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Map<Long, String> mine = new HashMap<>();
            expected.add(mine);
            int writer = w;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    List<Long> live = new ArrayList<>();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int step = 0; step < steps; step++) {
                        int action = random.nextInt(10);
                        if (action < 5 || live.isEmpty()) {
                            String text = writer + ":" + step;
                            long id = add(text);
                            mine.put(id, text);
                            live.add(id);
                        } else if (action < 7) {
                            long id = live.get(random.nextInt(live.size()));
                            String text = writer + ":" + step + "'";
                            assertThat(table.replace(id, json(text))).isTrue();
                            mine.put(id, text);
                        } else {
                            long id = live.remove(random.nextInt(live.size()));
                            assertThat(table.remove(id)).isTrue();
                            mine.remove(id);
                        }
                        long probe = live.isEmpty() ? 1 : live.get(random.nextInt(live.size()));
                        if (mine.containsKey(probe)) {
                            assertThat(new String(table.get(probe), StandardCharsets.UTF_8)).isEqualTo(mine.get(probe));
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failure.get()).isNull();
        Map<Long, String> all = new HashMap<>();
        expected.forEach(all::putAll);
        Map<Long, String> found = new HashMap<>();
        table.forEach((id, json) -> found.put(id, new String(json, StandardCharsets.UTF_8)));
        assertThat(found).isEqualTo(all);
        assertThat(ids()).isSorted();
    }
}
