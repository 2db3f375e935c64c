package io.jhttpd.app.ops;

import io.jhttpd.app.store.DataStore;
import io.jhttpd.app.store.InMemoryDataStore;
import io.jhttpd.app.store.Item;
import io.jhttpd.app.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessTest {

    /** The in-memory store's items, with a ping the test controls. */
    private static DataStore pinging(Runnable ping) {
        InMemoryDataStore items = new InMemoryDataStore();
        return new DataStore() {
            public Item create(com.fasterxml.jackson.databind.node.ObjectNode f) {
                return items.create(f);
            }

            public java.util.Optional<Item> get(long id) {
                return items.get(id);
            }

            public List<Item> list() {
                return items.list();
            }

            public java.util.Optional<Item> replace(long id,
                    com.fasterxml.jackson.databind.node.ObjectNode f) {
                return items.replace(id, f);
            }

            public boolean delete(long id) {
                return items.delete(id);
            }

            public java.util.Optional<Item> replaceIfUnchanged(long id,
                    com.fasterxml.jackson.databind.node.ObjectNode f, Item expected) {
                return items.replaceIfUnchanged(id, f, expected);
            }

            public boolean deleteIfUnchanged(long id, Item expected) {
                return items.deleteIfUnchanged(id, expected);
            }

            @Override
            public void ping() {
                ping.run();
            }
        };
    }

    @Test
    void readyWhileTheStoreAnswersAndNotWhileItFails() {
        AtomicBoolean down = new AtomicBoolean();
        Readiness readiness = new Readiness(pinging(() -> {
            if (down.get()) {
                throw new StoreUnavailableException("down", null);
            }
        }), Duration.ofSeconds(5));
        assertThat(readiness.notReadyReason()).isNull();
        down.set(true);
        assertThat(readiness.notReadyReason()).isEqualTo("The data store is unavailable");
        down.set(false);
        assertThat(readiness.notReadyReason()).isNull();
    }

    @Test
    void aStoreSlowerThanTheBudgetIsNotReadyAndConcurrentChecksShareOnePing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger pings = new AtomicInteger();
        Readiness readiness = new Readiness(pinging(() -> {
            pings.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), Duration.ofMillis(200));
        List<Thread> probes = new ArrayList<>();
        List<String> reasons = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 5; i++) {
            probes.add(Thread.ofVirtual().start(() -> reasons.add(readiness.notReadyReason())));
        }
        for (Thread probe : probes) {
            probe.join();
        }
        assertThat(reasons).hasSize(5).containsOnly("The data store did not answer in time");
        assertThat(pings).hasValue(1);
        release.countDown();
    }

    @Test
    void notReadyWhileStoppingWithoutAskingTheStore() {
        AtomicInteger pings = new AtomicInteger();
        Readiness readiness = new Readiness(pinging(pings::incrementAndGet), Duration.ofSeconds(5));
        readiness.stoppingWhen(() -> true);
        assertThat(readiness.notReadyReason()).isEqualTo("The server is shutting down");
        assertThat(pings).hasValue(0);
    }
}
