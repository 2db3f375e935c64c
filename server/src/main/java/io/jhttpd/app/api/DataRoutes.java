package io.jhttpd.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.app.json.Json;
import io.jhttpd.app.json.JsonBodies;
import io.jhttpd.app.store.DataStore;
import io.jhttpd.app.store.Item;
import io.jhttpd.app.store.StoreUnavailableException;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Preconditions;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;
import io.jhttpd.routing.Router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /data}: a collection of JSON objects, each with a server-assigned {@code "id"}.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>POST /data</td><td>201, {@code Location: /data/{id}}, the stored item</td></tr>
 *   <tr><td>GET /data</td><td>200, every item as an array, in id order</td></tr>
 *   <tr><td>GET /data/{id}</td><td>200 the item; 404 when absent</td></tr>
 *   <tr><td>PUT /data/{id}</td><td>200 the replaced item; 404 when absent (PUT never creates)</td></tr>
 *   <tr><td>DELETE /data/{id}</td><td>200 {@code {"status":"deleted"}}; 404 when absent</td></tr>
 * </table>
 *
 * <p>An item's responses carry a strong {@code ETag} of its content, and every route evaluates the
 * request's conditions (RFC 9110 §13) after its own checks (404 first): If-None-Match on a GET gives
 * 304, a false If-Match or If-None-Match on a change gives 412, and a conditional PUT or DELETE changes
 * the item only while it is still the one the condition was evaluated against (the store compares
 * and changes in one step), so two clients that both send the ETag they read cannot overwrite each
 * other (a conditional PUT is evaluated once before its body is read, so a stale one gets its 412
 * first; after {@value #CHANGE_ATTEMPTS} rounds lost to concurrent changes it gets 409). Items have no
 * modification date: If-Modified-Since and If-Unmodified-Since are ignored.
 * The collection {@code /data} exists but has no ETag: only {@code *} matches it.
 *
 * <p>Bodies must be {@code application/json} (415) holding one JSON object (400). The id belongs to the
 * server: one sent with POST is replaced; one sent with PUT must equal the id in the path (else 400).
 * A store that cannot reach its database makes any route answer 503 with {@code Retry-After}.
 * An id in the path that is not a decimal number from 1 to {@link Long#MAX_VALUE} is a 400. The
 * {@code Location} field is built from the server's id alone, never from request text.
 *
 * <pre>{@code
 * new DataRoutes(new InMemoryDataStore()).register(router);
 * }</pre>
 */
public final class DataRoutes {

    private static final byte[] DELETED = "{\"status\":\"deleted\"}".getBytes(StandardCharsets.US_ASCII);
    /** Listings up to this many bytes go out whole, with their length; longer ones are streamed. */
    private static final int LISTING_IN_ONE_PIECE = 1 << 20;
    /** Rounds of read, evaluate, compare-and-change a conditional PUT or DELETE makes before a 409. */
    static final int CHANGE_ATTEMPTS = 16;

    private final DataStore store;
    private final Runnable onStoreUnavailable;

    public DataRoutes(DataStore store) {
        this(store, () -> { });
    }

    /** @param onStoreUnavailable run each time the store fails a request (a 503), for metrics; must not throw */
    public DataRoutes(DataStore store, Runnable onStoreUnavailable) {
        this.store = store;
        this.onStoreUnavailable = onStoreUnavailable;
    }

    public Router register(Router router) {
        return router
                .post("/data", available(this::create))
                .get("/data", available(this::list))
                .get("/data/{id}", available(this::read))
                .put("/data/{id}", available(this::replace))
                .delete("/data/{id}", available(this::delete));
    }

    /**
     * RFC 9110 §15.6.4: a store that cannot reach its database is a temporary condition, so 503 with
     * {@code Retry-After}, not a 500. The cause goes to the log through {@code JsonErrors}.
     */
    private Handler available(Handler route) {
        return request -> {
            try {
                return route.handle(request);
            } catch (StoreUnavailableException e) {
                onStoreUnavailable.run();
                throw new HttpException(Status.SERVICE_UNAVAILABLE_503, "The data store is unavailable; try again shortly", e)
                        .withHeader("Retry-After", "2");
            }
        };
    }

    private Response create(Request request) {
        requireOnCollection(request); // before the body, as for a PUT
        Item item = store.create(JsonBodies.readObject(request));
        return itemResponse(Response.of(Status.CREATED_201).header("Location", "/data/" + item.id()), item);
    }

    private Response list(Request request) throws IOException {
        if (requireOnCollection(request) == Preconditions.Outcome.NOT_MODIFIED) {
            return notModified(null);
        }
        List<Item> items = store.list();
        long length = arrayLength(items);
        if (length > LISTING_IN_ONE_PIECE) {
            // Streamed: a listing near the heap's size is not copied whole once more (nor gzipped whole).
            return Response.ok().stream(Json.CONTENT_TYPE, out -> writeArray(items, out));
        }
        ExactArray array = new ExactArray((int) length);
        writeArray(items, array);
        return json(Response.ok(), array.filled());
    }

    private Response read(Request request) {
        long id = idOf(request);
        Item item = store.get(id).orElseThrow(DataRoutes::notFound);
        if (require(request, item) == Preconditions.Outcome.NOT_MODIFIED) {
            return notModified(item.etag());
        }
        return itemResponse(Response.ok(), item);
    }

    private Response replace(Request request) {
        long id = idOf(request);
        boolean conditional = Preconditions.onEntityTag(request);
        if (conditional) {
            // Before the body: a stale version is told 412 without its body parsed (and is checked again below).
            require(request, store.get(id).orElseThrow(DataRoutes::notFound));
        }
        ObjectNode fields = JsonBodies.readObject(request);
        JsonNode bodyId = fields.get(DataStore.ID);
        if (bodyId != null && !(bodyId.isIntegralNumber() && bodyId.canConvertToLong() && bodyId.asLong() == id)) {
            throw new HttpException(Status.BAD_REQUEST_400, "The id in the body does not match the id in the path");
        }
        if (!conditional) {
            return itemResponse(Response.ok(), store.replace(id, fields).orElseThrow(DataRoutes::notFound));
        }
        return itemResponse(Response.ok(),
                changeIfUnchanged(request, id, current -> store.replaceIfUnchanged(id, fields, current)));
    }

    private Response delete(Request request) {
        long id = idOf(request);
        if (!Preconditions.onEntityTag(request)) {
            if (!store.delete(id)) {
                throw notFound();
            }
            return json(Response.ok(), DELETED);
        }
        changeIfUnchanged(request, id,
                current -> store.deleteIfUnchanged(id, current) ? Optional.of(current) : Optional.empty());
        return json(Response.ok(), DELETED);
    }

    /**
     * A conditional change: reads the item (404 when absent), evaluates the request's conditions on it
     * (412), and makes {@code change}, which the store makes only while the item is still the one read;
     * empty means another client changed it in between, and the round starts again on what is there
     * now. After {@value #CHANGE_ATTEMPTS} lost rounds, 409 (or a store whose read and compare disagree,
     * which a store must not let happen, would keep the request for ever).
     */
    private <T> T changeIfUnchanged(Request request, long id, Function<Item, Optional<T>> change) {
        for (int attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
            Item current = store.get(id).orElseThrow(DataRoutes::notFound);
            require(request, current);
            Optional<T> changed = change.apply(current);
            if (changed.isPresent()) {
                return changed.get();
            }
        }
        throw new HttpException(Status.CONFLICT_409, "The item changed during the request; try again")
                .withHeader("Retry-After", "1");
    }

    /** The request's conditions on an item: NOT_MODIFIED or PROCEED; 412 when one is false. */
    private static Preconditions.Outcome require(Request request, Item item) {
        return checked(Preconditions.evaluate(request, item.etag(), Preconditions.NO_DATE));
    }

    /** The request's conditions on the collection, which exists but has no entity-tag. */
    private static Preconditions.Outcome requireOnCollection(Request request) {
        return checked(Preconditions.evaluate(request, null, Preconditions.NO_DATE));
    }

    private static Preconditions.Outcome checked(Preconditions.Outcome outcome) {
        if (outcome == Preconditions.Outcome.PRECONDITION_FAILED) {
            throw new HttpException(Status.PRECONDITION_FAILED_412, "Precondition failed");
        }
        return outcome;
    }

    /** 304 (RFC 9110 §15.4.5): the ETag a 200 would carry, and its Content-Type for the filters to decide alike. */
    private static Response notModified(String etag) {
        Response response = Response.of(Status.NOT_MODIFIED_304).header("Content-Type", Json.CONTENT_TYPE);
        return etag == null ? response : response.header("ETag", etag);
    }

    private static Response itemResponse(Response response, Item item) {
        return json(response.header("ETag", item.etag()), item.json());
    }

    /** 1*DIGIT, at most a long; checked by hand because Long.parseLong takes "+7" and non-ASCII digits. */
    static long idOf(Request request) {
        String text = request.pathParam("id");
        if (text == null || text.isEmpty() || text.length() > 19) {
            throw badId();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw badId();
            }
        }
        try {
            long id = Long.parseLong(text);
            if (id < 1) {
                throw badId(); // 0 is no id: they start at 1
            }
            return id;
        } catch (NumberFormatException e) {
            throw badId(); // 19 digits beyond Long.MAX_VALUE
        }
    }

    private static Response json(Response response, byte[] body) {
        return response.body(body, Json.CONTENT_TYPE);
    }

    /** The length of the items' JSON array: brackets, commas and each item as stored. */
    private static long arrayLength(List<Item> items) {
        long length = 2 + Math.max(0, items.size() - 1);
        for (Item item : items) {
            length += item.json().length;
        }
        return length;
    }

    /** An output of a known length that hands over its own array, not a copy. */
    private static final class ExactArray extends ByteArrayOutputStream {
        ExactArray(int length) {
            super(length);
        }

        byte[] filled() {
            return count == buf.length ? buf : toByteArray();
        }
    }

    /** The items' JSON between brackets, each as stored: {@code [{"id":1,...},{"id":2,...}]}. */
    private static void writeArray(List<Item> items, OutputStream out) throws IOException {
        out.write('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(items.get(i).json());
        }
        out.write(']');
    }

    private static HttpException badId() {
        return new HttpException(Status.BAD_REQUEST_400, "The id must be a positive whole number");
    }

    private static HttpException notFound() {
        return new HttpException(Status.NOT_FOUND_404, "No item with that id");
    }
}
