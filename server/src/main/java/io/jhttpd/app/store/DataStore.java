package io.jhttpd.app.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * Where the items of {@code /data} live. Each item is a JSON object whose {@code "id"} field the store
 * owns: ids start at 1, are never reused, and an item keeps its id until it is deleted.
 *
 * <p>Implementations are safe for concurrent use by many connection threads. The store only reads the
 * fields it is given (it keeps their JSON text, never the tree) and hands out {@link Item}s: the id
 * and the item's JSON, ready to send. A durable store
 * ({@link SqliteDataStore}, {@link PostgresDataStore}) returns from a write only once the write is
 * durable, and throws {@link StoreUnavailableException} (503 to the client) when it cannot reach its
 * database within a few seconds; the in-memory store never throws it.
 *
 * <p>Whoever opens a store closes it, after the server that uses it has stopped: {@link #close()}
 * releases files and connections (a no-op for the in-memory store).
 *
 * <pre>{@code
 * DataStore store = new InMemoryDataStore();
 * Item created = store.create(fields);                    // {"id":1, ...fields}
 * Optional<Item> same = store.get(created.id());
 * }</pre>
 */
public interface DataStore extends AutoCloseable {

    /** The field name the store sets on every item. */
    String ID = "id";

    /** Stores {@code fields} under a new id; any {@code "id"} in {@code fields} is replaced. Returns the item. */
    Item create(ObjectNode fields);

    /** The item with this id, if present. */
    Optional<Item> get(long id);

    /** Every item, in ascending id order. */
    List<Item> list();

    /** Replaces the item's fields, keeping its id; empty when there is no such item (nothing is created). */
    Optional<Item> replace(long id, ObjectNode fields);

    /** Removes the item; false when there was none. */
    boolean delete(long id);

    /**
     * Replaces the item's fields only while it is still {@code expected} (as this store returned it):
     * a conditional request's change, which must not overwrite a change made since its condition was
     * evaluated. Empty when the item is gone or no longer {@code expected}.
     */
    Optional<Item> replaceIfUnchanged(long id, ObjectNode fields, Item expected);

    /** Removes the item only while it is still {@code expected}; false when it is gone or has changed. */
    boolean deleteIfUnchanged(long id, Item expected);

    /**
     * A cheap check that the store can serve requests now, for the server's readiness endpoint: returns
     * when it can, throws {@link StoreUnavailableException} when it cannot. It may take as long as the
     * store's own timeouts; the caller bounds how long it waits. The in-memory store is always ready.
     */
    default void ping() {
    }

    /** Releases what the store holds; writes already acknowledged stay. Closing twice is harmless. */
    @Override
    default void close() {
    }
}
