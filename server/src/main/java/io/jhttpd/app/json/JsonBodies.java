package io.jhttpd.app.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Request;
import io.jhttpd.http.Status;

import java.util.List;
import java.util.Locale;

/**
 * Reads a request body that must be a JSON object, checking in the order a client can fix things:
 * the media type first (415, before a byte of the body is read), then the body itself (413 from the
 * core when it is too large, 400 when it is not one JSON object).
 *
 * <pre>{@code
 * ObjectNode fields = JsonBodies.readObject(request);
 * }</pre>
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    /**
     * @throws HttpException 415 (with {@code Accept: application/json}) unless the Content-Type is
     *                       {@code application/json}, compared case-insensitively, with no parameter
     *                       but an optional {@code charset=utf-8}; 400 for two Content-Type lines (a
     *                       field that takes one value, RFC 9110 §5.3: an intermediary that reads the
     *                       other line would take the body for something else); 415 (with an empty
     *                       {@code Accept-Encoding}) for a body with a content coding; 400 when the
     *                       body is not one JSON object (an array, a number, a string or {@code null}
     *                       is refused too)
     */
    public static ObjectNode readObject(Request request) {
        List<String> contentTypes = request.headers().all("Content-Type");
        if (contentTypes.size() > 1) {
            throw new HttpException(Status.BAD_REQUEST_400, "Content-Type given more than once");
        }
        requireJsonMediaType(contentTypes.isEmpty() ? null : contentTypes.get(0));
        request.requireNoContentCoding();
        JsonNode node = Json.parse(request.bodyBytes());
        if (!(node instanceof ObjectNode object)) {
            throw new HttpException(Status.BAD_REQUEST_400, "JSON body must be an object");
        }
        return object;
    }

    /** RFC 9110 §8.3.1: type and subtype are case-insensitive; parameters follow ";". */
    static void requireJsonMediaType(String contentType) {
        if (contentType == null) {
            throw unsupported("Content-Type must be application/json");
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().toLowerCase(Locale.ROOT).equals(Json.CONTENT_TYPE)) {
            throw unsupported("Content-Type must be application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            if (parameter.isEmpty()) {
                continue;
            }
            int eq = parameter.indexOf('=');
            String name = eq < 0 ? parameter : parameter.substring(0, eq).strip();
            String value = eq < 0 ? "" : unquote(parameter.substring(eq + 1).strip());
            if (!name.equalsIgnoreCase("charset")) {
                throw unsupported("application/json takes no parameter but charset=utf-8");
            }
            // RFC 8259 §8.1: JSON between systems is UTF-8; another charset is a media type we do not take.
            if (!value.equalsIgnoreCase("utf-8")) {
                throw unsupported("Only charset=utf-8 is supported for application/json");
            }
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static HttpException unsupported(String message) {
        return new HttpException(Status.UNSUPPORTED_MEDIA_TYPE_415, message).withHeader("Accept", Json.CONTENT_TYPE);
    }
}
