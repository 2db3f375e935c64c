package io.jhttpd.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Entity-tag lists and comparison (RFC 9110 §8.8.3). Tags are kept as sent, {@code W/} prefix and
 * quotes included, so that comparing is comparing strings.
 */
final class EntityTags {

    /** The element {@code *}, which matches any current representation. */
    static final String ANY = "*";

    private EntityTags() {
    }

    /**
     * The tags of a list field such as {@code "a", W/"b"}, or {@code [*]}. A tag may hold a comma
     * (etagc includes it), so this scans quotes rather than splitting. Parsing stops at the first
     * malformed element: what came before it still counts.
     */
    static List<String> parseList(String value) {
        List<String> tags = new ArrayList<>(2);
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
            } else if (c == '*') {
                tags.add(ANY);
                i++;
            } else {
                int start = i;
                if (value.startsWith("W/", i)) {
                    i += 2;
                }
                if (i >= n || value.charAt(i) != '"') {
                    return tags;
                }
                int close = value.indexOf('"', i + 1);
                if (close < 0) {
                    return tags;
                }
                i = close + 1;
                tags.add(value.substring(start, i));
            }
        }
        return tags;
    }

    static boolean isWeak(String tag) {
        return tag.startsWith("W/");
    }

    /** Strong comparison: both strong and identical. */
    static boolean strongMatch(String a, String b) {
        return !isWeak(a) && !isWeak(b) && a.equals(b);
    }

    /** Weak comparison: identical once any {@code W/} is dropped. */
    static boolean weakMatch(String a, String b) {
        return opaque(a).equals(opaque(b));
    }

    private static String opaque(String tag) {
        return isWeak(tag) ? tag.substring(2) : tag;
    }
}
