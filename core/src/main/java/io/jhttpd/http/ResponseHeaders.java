package io.jhttpd.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The header fields of a response, in the order they will be written.
 *
 * <p>Every name must be a token and no value may hold CR, LF, NUL or another control character:
 * anything else throws {@link IllegalArgumentException}, so that no value taken from a request can
 * split a response (RFC 9112 §11.1). The framing fields ({@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection}, {@code Date}) are the server's to write and are
 * refused here.
 */
public final class ResponseHeaders implements Headers {

    private final List<String> names = new ArrayList<>(8);
    private final List<String> values = new ArrayList<>(8);

    /** No field lines yet; {@link Response} makes one for each response. */
    public ResponseHeaders() {
    }

    @Override
    public int size() {
        return names.size();
    }

    @Override
    public String name(int index) {
        return names.get(index);
    }

    @Override
    public String value(int index) {
        return values.get(index);
    }

    /** Adds a field line, keeping any others of the same name. */
    public ResponseHeaders add(String name, String value) {
        checkName(name);
        checkValue(value);
        names.add(name);
        values.add(value);
        return this;
    }

    /** Replaces every field line named {@code name} with one holding {@code value}. */
    public ResponseHeaders set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /** Removes every field line named {@code name}. */
    public ResponseHeaders remove(String name) {
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
            }
        }
        return this;
    }

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7F || !HeaderGrammar.isTchar(c)) {
                throw new IllegalArgumentException("header name is not a token: " + printable(name));
            }
        }
        if (HeaderGrammar.isFramingField(name)) {
            throw new IllegalArgumentException(name + " is written by the server, not by handlers");
        }
    }

    private static void checkValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException(
                        "header value holds a control or non-Latin-1 character at index " + i);
            }
        }
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
