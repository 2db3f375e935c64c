package io.jhttpd.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A route's path: literal segments, {@code {name}} segments that match any one segment, and an
 * optional last {@code {name...}} that matches the rest of the path (zero or more segments).
 *
 * <pre>{@code
 * PathPattern.parse("/data/{id}");          // /data/7 -> id=7
 * PathPattern.parse("/static/{path...}");   // /static/css/a.css -> path=css/a.css
 * }</pre>
 */
public final class PathPattern {

    /** One segment of a pattern. */
    sealed interface Segment permits Literal, Param, Rest {
    }

    record Literal(String text) implements Segment {
    }

    record Param(String name) implements Segment {
    }

    record Rest(String name) implements Segment {
    }

    private final String text;
    private final List<Segment> segments;

    private PathPattern(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
    }

    /**
     * Parses a pattern such as {@code /data/{id}}. {@link Router} calls this for every route it adds.
     *
     * @throws IllegalArgumentException when the pattern does not start with {@code /}, repeats a name,
     *                                  has an empty or malformed {@code {}} segment, or puts
     *                                  {@code {name...}} anywhere but last
     */
    public static PathPattern parse(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with '/': " + pattern);
        }
        List<Segment> segments = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String[] parts = pattern.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (pattern.equals("/")) {
                break;
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                String name = part.substring(1, part.length() - 1);
                boolean rest = name.endsWith("...");
                if (rest) {
                    name = name.substring(0, name.length() - 3);
                    if (i != parts.length - 1) {
                        throw new IllegalArgumentException("{" + name + "...} must be last: " + pattern);
                    }
                }
                if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
                    throw new IllegalArgumentException("bad parameter name in " + pattern);
                }
                if (!names.add(name)) {
                    throw new IllegalArgumentException("parameter " + name + " repeated in " + pattern);
                }
                segments.add(rest ? new Rest(name) : new Param(name));
            } else if (part.contains("{") || part.contains("}")) {
                throw new IllegalArgumentException("a parameter must be a whole segment: " + pattern);
            } else {
                segments.add(new Literal(part));
            }
        }
        return new PathPattern(pattern, List.copyOf(segments));
    }

    List<Segment> segments() {
        return segments;
    }

    @Override
    public String toString() {
        return text;
    }
}
