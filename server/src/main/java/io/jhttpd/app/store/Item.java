package io.jhttpd.app.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.app.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One stored item as the API sends it: its id and its JSON, {@code {"id":7,...the client's fields}},
 * as compact UTF-8. Made once, when the item is written or read from a database, and sent as is: a
 * response writes these bytes, never a tree serialized again. That also makes it small to keep: the
 * in-memory store holds items in this form (a third of the memory of a Jackson tree).
 *
 * <p>Immutable by contract: {@link #json()} hands out the array itself, which no one may change.
 *
 * <pre>{@code
 * Item item = store.create(fields);
 * return Response.of(Status.CREATED_201).body(item.json(), Json.CONTENT_TYPE);
 * }</pre>
 */
public final class Item {

    private static final byte[] ID_PREFIX = "{\"id\":".getBytes(StandardCharsets.US_ASCII);

    private final long id;
    private final byte[] json;
    /** Made on first use: a route evaluates conditions with it, then sends it. */
    private String etag;

    private Item(long id, byte[] json) {
        this.id = id;
        this.json = json;
    }

    /**
     * The item with this id and these fields, given as a compact JSON object without an {@code "id"}
     * member (as {@link Items#fieldsJson} writes it): {@code {"a":1}} becomes {@code {"id":7,"a":1}}.
     */
    static Item of(long id, byte[] fieldsJson) {
        byte[] digits = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
        boolean empty = fieldsJson.length == 2; // "{}"
        byte[] json = new byte[ID_PREFIX.length + digits.length + (empty ? 1 : fieldsJson.length)];
        System.arraycopy(ID_PREFIX, 0, json, 0, ID_PREFIX.length);
        System.arraycopy(digits, 0, json, ID_PREFIX.length, digits.length);
        int at = ID_PREFIX.length + digits.length;
        if (empty) {
            json[at] = '}';
        } else {
            json[at] = ',';
            System.arraycopy(fieldsJson, 1, json, at + 1, fieldsJson.length - 1); // past the '{'
        }
        return new Item(id, json);
    }

    /** The item as {@link #json()} gave it out earlier: {@code json} must hold this id first. */
    static Item stored(long id, byte[] json) {
        return new Item(id, json);
    }

    /**
     * The fields as a store keeps them (as {@link Items#fieldsJson} wrote them): the JSON without its
     * id, {@code {"a":1}} of {@code {"id":7,"a":1}}.
     */
    String fieldsText() {
        int at = ID_PREFIX.length;
        while (json[at] != ',' && json[at] != '}') {
            at++; // past the id's digits
        }
        return json[at] == '}' ? "{}" : "{" + new String(json, at + 1, json.length - at - 1, StandardCharsets.UTF_8);
    }

    /**
     * A strong entity-tag of the item's content (RFC 9110 §8.8.3): the same for the same JSON, a
     * different one (but for a 64-bit hash collision) after any change.
     */
    public String etag() {
        String tag = etag;
        if (tag == null) {
            long hash = 0xcbf29ce484222325L; // FNV-1a, 64 bits
            for (byte b : json) {
                hash = (hash ^ (b & 0xFF)) * 0x100000001b3L;
            }
            tag = "\"" + Long.toHexString(hash) + "\"";
            etag = tag; // a benign race: every thread computes the same immutable string
        }
        return tag;
    }

    /** The server-assigned id. */
    public long id() {
        return id;
    }

    /** The item's JSON as compact UTF-8, id first. Shared: must not be changed. */
    public byte[] json() {
        return json;
    }

    /** A parsed copy of the item, for a caller that needs its fields. */
    public ObjectNode toTree() {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("item " + id + " does not parse", e);
        }
    }

    /** The item's JSON text. */
    @Override
    public String toString() {
        return new String(json, StandardCharsets.UTF_8);
    }
}
