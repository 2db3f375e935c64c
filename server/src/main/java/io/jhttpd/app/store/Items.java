package io.jhttpd.app.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.app.json.Json;

/**
 * How every store shapes an item: the id first, then the client's fields in their order. The durable
 * stores keep the fields as JSON text without the id (the id is the row's key), written and read by
 * the app's one mapper, so numbers and key order come back exactly as the client sent them.
 */
final class Items {

    private Items() {
    }

    /** A copy of {@code fields} with the id first, so that items read {"id":1,...}; any "id" field is dropped. */
    static ObjectNode withId(long id, ObjectNode fields) {
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        item.put(DataStore.ID, id);
        fields.properties().forEach(field -> {
            if (!field.getKey().equals(DataStore.ID)) {
                item.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        return item;
    }

    /** The fields as stored: JSON text without the id. Only reads {@code fields}, so it copies nothing deep. */
    static String fieldsText(ObjectNode fields) {
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
            return Json.mapper().writeValueAsString(withoutId);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }

    /** The item from its id and stored text; text the store wrote is always one JSON object. */
    static ObjectNode fromText(long id, String fieldsText) {
        try {
            ObjectNode fields = (ObjectNode) Json.mapper().readTree(fieldsText);
            // The parsed tree is ours alone: move its fields behind the id instead of copying them.
            ObjectNode item = JsonNodeFactory.instance.objectNode();
            item.put(DataStore.ID, id);
            fields.remove(DataStore.ID);
            return item.setAll(fields);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("item " + id + " is not a JSON object in the store", e);
        }
    }
}
