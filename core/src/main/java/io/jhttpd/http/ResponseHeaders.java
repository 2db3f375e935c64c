package io.jhttpd.http;

import java.util.Arrays;

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

    /** Name, value, name, value, ...: one array, grown by doubling, so a response allocates two objects. */
    private String[] fields = new String[16];
    private int size;

    /** No field lines yet; {@link Response} makes one for each response. */
    public ResponseHeaders() {
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String name(int index) {
        return fields[2 * checkIndex(index)];
    }

    @Override
    public String value(int index) {
        return fields[2 * checkIndex(index) + 1];
    }

    /** Lengths first: most names differ in length, and a literal is usually the very same string. */
    @Override
    public boolean nameIs(int index, String name) {
        String own = fields[2 * checkIndex(index)];
        return own == name || own.length() == name.length() && own.equalsIgnoreCase(name);
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("field " + index + " of " + size);
        }
        return index;
    }

    /** Adds a field line, keeping any others of the same name. */
    public ResponseHeaders add(String name, String value) {
        checkName(name);
        checkValue(value);
        if (2 * size == fields.length) {
            fields = Arrays.copyOf(fields, fields.length * 2);
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
        return this;
    }

    /** Replaces every field line named {@code name} with one holding {@code value}. */
    public ResponseHeaders set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /** Removes every field line named {@code name}. */
    public ResponseHeaders remove(String name) {
        int kept = 0;
        while (kept < size && !nameIs(kept, name)) {
            kept++; // the usual case (a set of a field not there yet) ends here, having written nothing
        }
        for (int i = kept + 1; i < size; i++) {
            if (!nameIs(i, name)) {
                fields[2 * kept] = fields[2 * i];
                fields[2 * kept + 1] = fields[2 * i + 1];
                kept++;
            }
        }
        Arrays.fill(fields, 2 * kept, 2 * size, null);
        size = kept;
        return this;
    }

    /**
     * Names already checked, by identity: handlers and filters name fields with literals, so the same few
     * strings come back on every response and skip the scan. Each name has two slots to be found in (a
     * pair), so that two names whose identity hashes meet do not keep evicting each other: with one slot
     * in 64, names met in some runs (identity hashes change from run to run), and JFR profiles of /echo
     * then showed 5-9% of the Java samples re-checking names; with pairs, none in two profiled runs. A new
     * name takes the pair's free slot, else the second. Slots are overwritten freely; a stale or lost
     * entry only means checking a name again (strings are immutable, references are written whole).
     */
    private static final String[] CHECKED_NAMES = new String[256];

    private static void checkName(String name) {
        int first = System.identityHashCode(name) & (CHECKED_NAMES.length - 2);
        if (CHECKED_NAMES[first] == name || CHECKED_NAMES[first + 1] == name) {
            return;
        }
        checkNameText(name);
        CHECKED_NAMES[CHECKED_NAMES[first] == null ? first : first + 1] = name;
    }

    private static void checkNameText(String name) {
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
