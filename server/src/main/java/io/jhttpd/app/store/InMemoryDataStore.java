package io.jhttpd.app.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link DataStore} in memory, gone when the process ends. An {@link ItemTable} issues the ids (so
 * concurrent creates never share one) and keeps each item as its JSON bytes in the slot its id names:
 * listing is in id order without sorting, and nothing takes a lock but the making and dropping of a
 * page. The benchmark's item ({"name":"widget","qty":3,"tags":["a","b"]}) costs 72-81 bytes of heap,
 * against 152-160 in a {@code ConcurrentSkipListMap<Long, Item>} and 484 as a Jackson tree (heap after
 * a full GC over some 300,000 POSTs, {@code bench/item-memory}; BENCHMARKS.md, seventh session): the
 * collector copies half as much of what a stream of POSTs leaves behind.
 *
 * <pre>{@code
 * DataStore store = new InMemoryDataStore();
 * }</pre>
 */
public final class InMemoryDataStore implements DataStore {

    private final ItemTable items = new ItemTable();

    @Override
    public Item create(ObjectNode fields) {
        byte[] fieldsJson = Items.fieldsJson(fields); // what can fail comes before the id: every id issued is added
        long id = items.nextId();
        Item item = Item.of(id, fieldsJson);
        items.add(id, item.json());
        return item;
    }

    @Override
    public Optional<Item> get(long id) {
        byte[] json = items.get(id);
        return json == null ? Optional.empty() : Optional.of(Item.stored(id, json));
    }

    @Override
    public List<Item> list() {
        List<Item> all = new ArrayList<>();
        items.forEach((id, json) -> all.add(Item.stored(id, json)));
        return all;
    }

    @Override
    public Optional<Item> replace(long id, ObjectNode fields) {
        Item replacement = Items.item(id, fields);
        // The slot is swapped only while it holds an item: a concurrent delete cannot be undone by a replace.
        return items.replace(id, replacement.json()) ? Optional.of(replacement) : Optional.empty();
    }

    @Override
    public boolean delete(long id) {
        return items.remove(id);
    }

    /** {@code expected} is unchanged while its slot holds the very array it wraps (a change stores a new one). */
    @Override
    public Optional<Item> replaceIfUnchanged(long id, ObjectNode fields, Item expected) {
        Item replacement = Items.item(id, fields);
        return items.replace(id, replacement.json(), expected.json()) ? Optional.of(replacement) : Optional.empty();
    }

    @Override
    public boolean deleteIfUnchanged(long id, Item expected) {
        return items.remove(id, expected.json());
    }
}
