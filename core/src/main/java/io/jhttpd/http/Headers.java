package io.jhttpd.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Header fields, read-only: names compare case-insensitively (RFC 9110 §5.1) and repeated fields are
 * kept in arrival order.
 *
 * <p>A request's headers are a view over the connection's buffer, valid until the handler returns;
 * copy what must outlive it. A response's headers are a {@link ResponseHeaders}.
 */
public interface Headers {

    /** The number of field lines. */
    int size();

    /** The name of field line {@code index}, as it was written. */
    String name(int index);

    /** The value of field line {@code index}, without surrounding whitespace. */
    String value(int index);

    /** Whether field line {@code index} has the given name (ASCII case-insensitive). */
    default boolean nameIs(int index, String name) {
        return name(index).equalsIgnoreCase(name);
    }

    /** The value of the first field line named {@code name}, or null. */
    default String first(String name) {
        for (int i = 0, n = size(); i < n; i++) {
            if (nameIs(i, name)) {
                return value(i);
            }
        }
        return null;
    }

    /** Every value of the field lines named {@code name}, in order. */
    default List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = 0, n = size(); i < n; i++) {
            if (nameIs(i, name)) {
                values.add(value(i));
            }
        }
        return values;
    }

    /** Whether any field line is named {@code name}. */
    default boolean contains(String name) {
        return first(name) != null;
    }

    /**
     * The list elements of every field line named {@code name}, split on commas and trimmed, without
     * empty elements (RFC 9110 §5.6.1). Parameters (after {@code ;}) are kept on each element.
     */
    default List<String> listElements(String name) {
        List<String> elements = new ArrayList<>(2);
        for (int i = 0, n = size(); i < n; i++) {
            if (nameIs(i, name)) {
                for (String part : value(i).split(",")) {
                    String element = part.strip();
                    if (!element.isEmpty()) {
                        elements.add(element);
                    }
                }
            }
        }
        return elements;
    }

    /**
     * Whether the list field {@code name} holds {@code token}, compared ASCII case-insensitively and
     * ignoring parameters after {@code ;}. Scans the values in place: nothing is allocated.
     */
    default boolean hasToken(String name, String token) {
        for (int i = 0, n = size(); i < n; i++) {
            if (nameIs(i, name) && listHas(value(i), token)) {
                return true;
            }
        }
        return false;
    }

    private static boolean listHas(String value, String token) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int semicolon = value.indexOf(';', start);
            if (semicolon >= 0 && semicolon < end) {
                end = semicolon;
            }
            int s = start;
            while (s < end && (value.charAt(s) == ' ' || value.charAt(s) == '\t')) {
                s++;
            }
            int e = end;
            while (e > s && (value.charAt(e - 1) == ' ' || value.charAt(e - 1) == '\t')) {
                e--;
            }
            if (e - s == token.length() && value.regionMatches(true, s, token, 0, token.length())) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
        return false;
    }
}
