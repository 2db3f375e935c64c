package io.jhttpd.app.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.HttpServer;
import io.jhttpd.ServerConfig;
import io.jhttpd.app.store.DataStore;
import io.jhttpd.app.store.InMemoryDataStore;
import io.jhttpd.app.store.Item;
import io.jhttpd.routing.Router;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jhttpd.testing.Wire.crlf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A conditional PUT or DELETE whose compare-and-change keeps losing (here: a store whose item changes
 * before every change) ends with 409 after a bounded number of rounds, never spins for ever.
 */
class DataRoutesConflictTest {

    /** The in-memory store, except that every conditional change finds the item changed. */
    private static final class AlwaysChanged implements DataStore {
        private final InMemoryDataStore items = new InMemoryDataStore();
        final AtomicInteger attempts = new AtomicInteger();

        public Item create(ObjectNode fields) {
            return items.create(fields);
        }

        public Optional<Item> get(long id) {
            return items.get(id);
        }

        public List<Item> list() {
            return items.list();
        }

        public Optional<Item> replace(long id, ObjectNode fields) {
            return items.replace(id, fields);
        }

        public boolean delete(long id) {
            return items.delete(id);
        }

        public Optional<Item> replaceIfUnchanged(long id, ObjectNode fields, Item expected) {
            attempts.incrementAndGet();
            return Optional.empty();
        }

        public boolean deleteIfUnchanged(long id, Item expected) {
            attempts.incrementAndGet();
            return false;
        }
    }

    @Test
    @Timeout(30) // without the bound, the request would spin for ever
    void aChangeThatKeepsLosingIs409AfterABoundedNumberOfRounds() throws Exception {
        AlwaysChanged store = new AlwaysChanged();
        long id = store.create(io.jhttpd.app.json.Json.object().put("v", 1)).id();
        Router router = new DataRoutes(store).register(new Router());
        try (HttpServer server = HttpServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), router);
             RawClient client = new RawClient(server.port())) {
            Reply put = client.send(crlf("PUT /data/" + id + " HTTP/1.1", "Host: t", "If-Match: *",
                    "Content-Type: application/json", "Content-Length: 7", "", "{\"v\":2}")).read();
            assertThat(put.status()).isEqualTo(409);
            Reply delete = client.send(crlf("DELETE /data/" + id + " HTTP/1.1", "Host: t", "If-Match: *", "", "")).read();
            assertThat(delete.status()).isEqualTo(409);
        }
        assertThat(store.attempts.get()).isEqualTo(2 * DataRoutes.CHANGE_ATTEMPTS);
    }
}
