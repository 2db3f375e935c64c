package bench.peers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The POST /data store: parse JSON with Jackson, assign an id, keep the item's JSON bytes in a map (as
 * jhttpd's memory store does, so that a long run measures HTTP and not a heap filling with trees).
 */
public final class DataStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, byte[]> items = new ConcurrentHashMap<>();

    /** The stored item: its id, its {@code Location} and its JSON (including {@code "id"}). */
    public record Created(long id, String location, byte[] json) {}

    /** Parses {@code body}; throws {@link IllegalArgumentException} when it is not a JSON object. */
    public Created create(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON", e);
        }
        if (!(node instanceof ObjectNode item)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        long id = ids.incrementAndGet();
        item.put("id", id);
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(item);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        items.put(id, json);
        return new Created(id, "/data/" + id, json);
    }
}
