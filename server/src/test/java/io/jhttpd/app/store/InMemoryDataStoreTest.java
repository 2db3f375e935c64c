package io.jhttpd.app.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.app.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryDataStoreTest {

    private final DataStore store = new InMemoryDataStore();

    private static ObjectNode fields(String name) {
        return Json.object().put("name", name);
    }

    @Test
    void createAssignsIdsFromOneUpAndPutsTheIdFirst() {
        ObjectNode a = store.create(fields("a"));
        ObjectNode b = store.create(Json.object().put("id", 99).put("name", "b"));
        assertThat(a.toString()).isEqualTo("{\"id\":1,\"name\":\"a\"}");
        assertThat(b.toString()).isEqualTo("{\"id\":2,\"name\":\"b\"}");
    }

    @Test
    void idsAreNeverReusedAfterDelete() {
        store.create(fields("a"));
        store.create(fields("b"));
        assertThat(store.delete(2)).isTrue();
        assertThat(store.create(fields("c")).get("id").asLong()).isEqualTo(3);
        assertThat(store.get(1)).isPresent();
    }

    @Test
    void listIsInIdOrder() {
        for (int i = 0; i < 20; i++) {
            store.create(fields("n" + i));
        }
        store.delete(5);
        List<Long> ids = store.list().stream().map(item -> item.get("id").asLong()).toList();
        assertThat(ids).hasSize(19).isSorted().doesNotContain(5L);
    }

    /** Ids past the size of a hash table would come back out of order from a plain hash map. */
    @Test
    void listIsInIdOrderAfterManyCreatesAndDeletes() {
        for (int i = 0; i < 30; i++) {
            store.delete(store.create(fields("churn")).get("id").asLong());
        }
        for (int i = 0; i < 5; i++) {
            store.create(fields("kept"));
        }
        List<Long> ids = store.list().stream().map(item -> item.get("id").asLong()).toList();
        assertThat(ids).containsExactly(31L, 32L, 33L, 34L, 35L);
    }

    @Test
    void replaceKeepsTheIdAndNeverCreates() {
        store.create(fields("a"));
        assertThat(store.replace(1, fields("z")).orElseThrow().toString()).isEqualTo("{\"id\":1,\"name\":\"z\"}");
        assertThat(store.replace(2, fields("y"))).isEmpty();
        assertThat(store.get(2)).isEmpty();
    }

    @Test
    void deleteOfAnAbsentItemIsFalse() {
        assertThat(store.delete(1)).isFalse();
    }

    @Test
    void callersCannotChangeStoredItems() {
        ObjectNode input = fields("a");
        ObjectNode created = store.create(input);
        input.put("name", "changed input");
        created.put("name", "changed output");
        store.get(1).orElseThrow().put("name", "changed read");
        store.list().get(0).put("name", "changed list");
        assertThat(store.get(1).orElseThrow().get("name").asText()).isEqualTo("a");
    }

    @Test
    void concurrentCreatesGetDistinctIds() throws Exception {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 2000; i++) {
                pool.submit(() -> ids.add(store.create(fields("x")).get("id").asLong()));
            }
        }
        assertThat(ids).hasSize(2000);
        assertThat(store.list()).hasSize(2000);
    }
}
