package io.jhttpd.app.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.app.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * How every store shapes an item: the id first, then the client's fields in their order. The stores
 * keep the fields as compact JSON without the id (the id is the key), written by the app's one
 * mapper, so key order comes back as the client sent it, and numbers with their digits: a decimal keeps
 * its trailing zeros (1.50 stays 1.50), an exponent comes back in BigDecimal's form (1e2 as 1E+2,
 * 2.5E-3 as 0.0025), -0 as 0. An {@link Item} is made from them by splicing the id in, without parsing.
 */
final class Items {

    private Items() {
    }

    /** The item with this id and the given fields; any "id" among the fields is dropped. */
    static Item item(long id, ObjectNode fields) {
        return Item.of(id, fieldsJson(fields));
    }

    /** The item from its id and the fields' text as a database holds it (from {@link #fieldsJson}). */
    static Item item(long id, String fieldsText) {
        byte[] fields = fieldsText.getBytes(StandardCharsets.UTF_8);
        if (fields.length < 2 || fields[0] != '{' || fields[fields.length - 1] != '}') {
            throw new IllegalStateException("item " + id + " is not a JSON object in the store");
        }
        return Item.of(id, fields);
    }

    /** The fields as compact UTF-8 JSON without the id. Only reads {@code fields}: it copies nothing deep. */
    static byte[] fieldsJson(ObjectNode fields) {
        ObjectNode withoutId = fields;
        if (fields.has(DataStore.ID)) {
            withoutId = JsonNodeFactory.instance.objectNode();
            for (var field : fields.properties()) {
                if (!field.getKey().equals(DataStore.ID)) {
                    withoutId.set(field.getKey(), field.getValue()); // shared, and only serialized
                }
            }
        }
        try {
            return Json.mapper().writeValueAsBytes(withoutId);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }
}
