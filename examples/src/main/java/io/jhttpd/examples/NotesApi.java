package io.jhttpd.examples;

import io.jhttpd.HttpServer;
import io.jhttpd.ServerConfig;
import io.jhttpd.filters.AccessLogFilter;
import io.jhttpd.http.Filter;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;
import io.jhttpd.routing.Router;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JSON API over notes kept in memory: a router, a filter of our own in front of it, and an error
 * handler that makes every error JSON, the server's own (400, 413, 431, ...) included.
 *
 * <pre>
 * curl -si localhost:8080/notes -H 'Content-Type: text/plain' -d 'buy milk'
 * # HTTP/1.1 201 Created
 * # Location: /notes/1
 * # {"id":1,"text":"buy milk"}
 * curl -s localhost:8080/notes          # [{"id":1,"text":"buy milk"}]
 * curl -s localhost:8080/notes/9        # {"error":"No note with that id","status":404}
 * </pre>
 *
 * <p>Core has no JSON library, so the answers are formatted by hand and a note is posted as plain
 * text; a real application would bring its own JSON library.
 */
public final class NotesApi {

    private static final String JSON = "application/json";

    private final Map<Long, String> notes = new ConcurrentSkipListMap<>();
    private final AtomicLong lastId = new AtomicLong();

    private NotesApi() {
    }

    /** Serves the API on {@code port} (0 picks a free one), logging each request to stdout. */
    public static HttpServer start(int port) throws IOException {
        NotesApi api = new NotesApi();
        Router router = new Router()
                .get("/notes", api::list)
                .post("/notes", api::create)
                .get("/notes/{id}", api::read)
                .delete("/notes/{id}", api::delete);
        Handler app = Filter.chain(router, new AccessLogFilter(System.out::println), NotesApi::requirePlainText);
        return HttpServer.start(ServerConfig.defaults().withPort(port), app, NotesApi::jsonError);
    }

    /** {@code NotesApi [port]}: serves until Ctrl-C, which stops it gracefully. */
    public static void main(String[] args) throws Exception {
        HttpServer server = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Serving http://localhost:" + server.port() + "/notes");
        server.awaitTermination();
    }

    private Response list(Request request) {
        StringJoiner array = new StringJoiner(",", "[", "]");
        notes.forEach((id, text) -> array.add(note(id, text)));
        return Response.ok().body(array.toString(), JSON);
    }

    private Response create(Request request) {
        String text = new String(request.bodyBytes(), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new HttpException(Status.BAD_REQUEST_400, "A note needs some text");
        }
        long id = lastId.incrementAndGet();
        notes.put(id, text);
        return Response.of(Status.CREATED_201).header("Location", "/notes/" + id).body(note(id, text), JSON);
    }

    private Response read(Request request) {
        long id = idOf(request);
        String text = notes.get(id);
        if (text == null) {
            throw noSuchNote();
        }
        return Response.ok().body(note(id, text), JSON);
    }

    private Response delete(Request request) {
        if (notes.remove(idOf(request)) == null) {
            throw noSuchNote();
        }
        return Response.of(Status.NO_CONTENT_204);
    }

    /**
     * A filter: a POST must say its body is plain text, else 415 (with {@code Accept-Post} saying what
     * to send) before any handler reads it.
     */
    private static Response requirePlainText(Request request, Handler next) throws Exception {
        if (request.method() == Method.POST && !isPlainText(request.header("Content-Type"))) {
            throw new HttpException(Status.UNSUPPORTED_MEDIA_TYPE_415, "Send the note as text/plain")
                    .withHeader("Accept-Post", "text/plain");
        }
        return next.handle(request);
    }

    /** Every error as {@code {"error": ..., "status": ...}}, with its status. */
    private static Response jsonError(Request request, HttpException error) {
        String body = "{\"error\":" + quote(error.publicMessage()) + ",\"status\":" + error.status().code() + "}";
        return Response.of(error.status()).body(body, JSON);
    }

    private static boolean isPlainText(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return mediaType.strip().toLowerCase(Locale.ROOT).equals("text/plain");
    }

    private static long idOf(Request request) {
        try {
            return Long.parseLong(request.pathParam("id"));
        } catch (NumberFormatException e) {
            throw noSuchNote();
        }
    }

    private static HttpException noSuchNote() {
        return new HttpException(Status.NOT_FOUND_404, "No note with that id");
    }

    private static String note(long id, String text) {
        return "{\"id\":" + id + ",\"text\":" + quote(text) + "}";
    }

    /** A JSON string (RFC 8259 §7): quotation mark, backslash and control characters escaped. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
