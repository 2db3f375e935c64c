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
        Item a = store.create(fields("a"));
        Item b = store.create(Json.object().put("id", 99).put("name", "b"));
        assertThat(a.toString()).isEqualTo("{\"id\":1,\"name\":\"a\"}");
        assertThat(b.toString()).isEqualTo("{\"id\":2,\"name\":\"b\"}");
    }

    @Test
    void idsAreNeverReusedAfterDelete() {
        store.create(fields("a"));
        store.create(fields("b"));
        assertThat(store.delete(2)).isTrue();
        assertThat(store.create(fields("c")).id()).isEqualTo(3);
        assertThat(store.get(1)).isPresent();
    }

    @Test
    void listIsInIdOrder() {
        for (int i = 0; i < 20; i++) {
            store.create(fields("n" + i));
        }
        store.delete(5);
        List<Long> ids = store.list().stream().map(item -> item.id()).toList();
        assertThat(ids).hasSize(19).isSorted().doesNotContain(5L);
    }

    /** Ids past the size of a hash table would come back out of order from a plain hash map. */
    @Test
    void listIsInIdOrderAfterManyCreatesAndDeletes() {
        for (int i = 0; i < 30; i++) {
            store.delete(store.create(fields("churn")).id());
        }
        for (int i = 0; i < 5; i++) {
            store.create(fields("kept"));
        }
        List<Long> ids = store.list().stream().map(item -> item.id()).toList();
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
        Item created = store.create(input);
        input.put("name", "changed input");
        created.toTree().put("name", "changed output");
        store.get(1).orElseThrow().toTree().put("name", "changed read");
        assertThat(store.get(1).orElseThrow().toString()).isEqualTo("{\"id\":1,\"name\":\"a\"}");
    }

    @Test
    void itemsWithoutFieldsAndWithNestedOnesKeepTheirShape() throws Exception {
        ObjectNode nested = (ObjectNode) Json.mapper().readTree("{\"a\":{\"id\":5},\"b\":[1,2.50,\"é\"],\"c\":null}");
        assertThat(store.create(Json.object()).toString()).isEqualTo("{\"id\":1}");
        assertThat(store.create(nested).toString()).isEqualTo("{\"id\":2,\"a\":{\"id\":5},\"b\":[1,2.50,\"é\"],\"c\":null}");
        assertThat(store.get(2).orElseThrow().toTree().get("b").get(2).asText()).isEqualTo("é");
        assertThat(store.replace(1, Json.object().put("id", 1).put("x", true)).orElseThrow().toString())
                .isEqualTo("{\"id\":1,\"x\":true}");
    }

    @Test
    void concurrentCreatesGetDistinctIds() throws Exception {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 2000; i++) {
                pool.submit(() -> ids.add(store.create(fields("x")).id()));
            }
        }
        assertThat(ids).hasSize(2000);
        assertThat(store.list()).hasSize(2000);
    }
}
