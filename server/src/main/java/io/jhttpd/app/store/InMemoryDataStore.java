package io.jhttpd.app.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DataStore} in memory, gone when the process ends. Ids come from an {@link AtomicLong}, so
 * concurrent creates never share one; items sit in a {@link ConcurrentSkipListMap}, so listing is in id
 * order without sorting and without a lock.
 *
 * <pre>{@code
 * DataStore store = new InMemoryDataStore();
 * }</pre>
 */
public final class InMemoryDataStore implements DataStore {

    private final AtomicLong lastId = new AtomicLong();
    private final ConcurrentSkipListMap<Long, ObjectNode> items = new ConcurrentSkipListMap<>();

    @Override
    public ObjectNode create(ObjectNode fields) {
        long id = lastId.incrementAndGet();
        ObjectNode item = withId(id, fields);
        items.put(id, item);
        return item.deepCopy();
    }

    @Override
    public Optional<ObjectNode> get(long id) {
        ObjectNode item = items.get(id);
        return item == null ? Optional.empty() : Optional.of(item.deepCopy());
    }

    @Override
    public List<ObjectNode> list() {
        List<ObjectNode> all = new ArrayList<>();
        for (ObjectNode item : items.values()) {
            all.add(item.deepCopy());
        }
        return all;
    }

    @Override
    public Optional<ObjectNode> replace(long id, ObjectNode fields) {
        ObjectNode replacement = withId(id, fields);
        // computeIfPresent is atomic: a concurrent delete cannot be undone by a replace.
        ObjectNode stored = items.computeIfPresent(id, (key, old) -> replacement);
        return stored == null ? Optional.empty() : Optional.of(stored.deepCopy());
    }

    @Override
    public boolean delete(long id) {
        return items.remove(id) != null;
    }

    private static ObjectNode withId(long id, ObjectNode fields) {
        return Items.withId(id, fields);
    }
}
