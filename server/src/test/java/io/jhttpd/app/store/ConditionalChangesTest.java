package io.jhttpd.app.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.app.json.Json;
import io.jhttpd.app.testing.TestPostgres;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The step that makes a conditional PUT or DELETE safe, on every store: a change made between a read
 * and a change conditional on that read wins, and the conditional change does nothing. (Over HTTP the
 * window between the two is too short to hit on purpose; here the test puts a change in it.)
 */
class ConditionalChangesTest {

    private static ObjectNode fields(int v) {
        return Json.object().put("v", v);
    }

    private static void withStore(String kind, Path dir, StoreTest test) throws Exception {
        TestPostgres.Schema schema = kind.equals("postgresql") ? TestPostgres.freshSchema() : null;
        try (DataStore store = switch (kind) {
            case "memory" -> new InMemoryDataStore();
            case "sqlite" -> SqliteDataStore.open(dir.resolve("data.db"), true);
            default -> StoreSpec.parse(schema.storeUrl()).open();
        }) {
            test.run(store);
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }

    private interface StoreTest {
        void run(DataStore store) throws Exception;
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void aReplaceConditionalOnAnOlderReadDoesNothing(String kind, @TempDir Path dir) throws Exception {
        withStore(kind, dir, store -> {
            long id = store.create(fields(1)).id();
            Item read = store.get(id).orElseThrow();
            store.replace(id, fields(2)); // another client, in between
            assertThat(store.replaceIfUnchanged(id, fields(3), read)).isEmpty();
            assertThat(store.get(id).orElseThrow().toString()).isEqualTo("{\"id\":" + id + ",\"v\":2}");
            Item current = store.get(id).orElseThrow();
            assertThat(store.replaceIfUnchanged(id, fields(4), current)).isPresent();
            assertThat(store.get(id).orElseThrow().toString()).isEqualTo("{\"id\":" + id + ",\"v\":4}");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgresql"})
    void aDeleteConditionalOnAnOlderReadDoesNothing(String kind, @TempDir Path dir) throws Exception {
        withStore(kind, dir, store -> {
            long id = store.create(Json.object()).id();
            Item read = store.get(id).orElseThrow();
            store.replace(id, fields(2));
            assertThat(store.deleteIfUnchanged(id, read)).isFalse();
            assertThat(store.get(id)).isPresent();
            assertThat(store.deleteIfUnchanged(id, store.get(id).orElseThrow())).isTrue();
            assertThat(store.get(id)).isEmpty();
            assertThat(store.replaceIfUnchanged(id, fields(5), read)).as("gone: nothing is created").isEmpty();
            assertThat(store.get(id)).isEmpty();
        });
    }
}
