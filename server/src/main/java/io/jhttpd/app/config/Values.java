package io.jhttpd.app.config;

import io.jhttpd.filters.CorsFilter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The {@link ValueParser}s the settings share: numbers in a range, sizes, addresses, directories. */
public final class Values {

    private static final long KIB = 1024;

    private Values() {
    }

    /** 0..65535; 0 lets the system pick a free port. */
    public static int port(String text) throws InvalidValue {
        return wholeNumber(text, 0, 65_535);
    }

    /** A parser for whole numbers from {@code min} to {@code max}, plain ASCII digits only. */
    public static ValueParser<Integer> wholeNumber(int min, int max) {
        return text -> wholeNumber(text, min, max);
    }

    private static int wholeNumber(String text, int min, int max) throws InvalidValue {
        String problem = "must be a number from " + min + " to " + max;
        if (text.isEmpty() || text.length() > 10 || !digits(text)) {
            throw new InvalidValue(problem);
        }
        long n = Long.parseLong(text);
        if (n < min || n > max) {
            throw new InvalidValue(problem);
        }
        return (int) n;
    }

    /** A host name or literal address: visible ASCII, nothing that could break a log line or a URL. */
    public static String host(String text) throws InvalidValue {
        if (text.isEmpty() || !text.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new InvalidValue("must be an address such as 0.0.0.0, 127.0.0.1 or ::1");
        }
        return text;
    }

    /** A directory that exists, relative paths taken from the working directory. */
    public static Path directory(String text) throws InvalidValue {
        if (text.isEmpty() || text.indexOf('\0') >= 0 || !Files.isDirectory(Path.of(text))) {
            throw new InvalidValue("must be an existing directory");
        }
        return Path.of(text);
    }

    /** A writable file path: its directory must exist. */
    public static Path fileInExistingDirectory(String text) throws InvalidValue {
        if (text.isEmpty() || text.indexOf('\0') >= 0) {
            throw new InvalidValue("must be a file path");
        }
        Path file = Path.of(text).toAbsolutePath();
        if (Files.isDirectory(file) || file.getParent() == null || !Files.isDirectory(file.getParent())) {
            throw new InvalidValue("must be a file in a directory that exists");
        }
        return Path.of(text);
    }

    /**
     * A byte count: digits, optionally followed by B, KB, MB or GB (any case; K, M, G also accepted),
     * with K = 1024. At least 1, and it must fit in a long.
     */
    public static long size(String text) throws InvalidValue {
        String upper = text.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        String number = upper;
        String[][] units = {{"KB", "K"}, {"MB", "M"}, {"GB", "G"}, {"B", "B"}};
        long[] factors = {KIB, KIB * KIB, KIB * KIB * KIB, 1};
        outer:
        for (int u = 0; u < units.length; u++) {
            for (String suffix : units[u]) {
                if (upper.endsWith(suffix)) {
                    unit = factors[u];
                    number = upper.substring(0, upper.length() - suffix.length()).strip();
                    break outer;
                }
            }
        }
        String problem = "must be a size of at least 1 byte such as 1048576, 512KB or 5MB (K = 1024)";
        if (number.isEmpty() || number.length() > 18 || !digits(number)) {
            throw new InvalidValue(problem);
        }
        long n = Long.parseLong(number);
        if (n == 0 || n > Long.MAX_VALUE / unit) {
            throw new InvalidValue(problem);
        }
        return n * unit;
    }

    /** A size the way people write it: 5MB rather than 5242880, when it is a whole number of a unit. */
    public static String showSize(long bytes) {
        String[] units = {"GB", "MB", "KB"};
        long[] factors = {KIB * KIB * KIB, KIB * KIB, KIB};
        for (int u = 0; u < units.length; u++) {
            if (bytes % factors[u] == 0) {
                return bytes / factors[u] + units[u];
            }
        }
        return Long.toString(bytes);
    }

    /** "*" or one origin as a browser sends it ({@link CorsFilter#isAllowedOrigin}): scheme, host, port. */
    public static String origin(String text) throws InvalidValue {
        if (!CorsFilter.isAllowedOrigin(text)) {
            throw new InvalidValue("must be * or an origin such as https://example.com or http://localhost:3000"
                    + " (scheme, host and port: no path, not even /)");
        }
        return text;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A parser for one of an enum's constants, named in lower case ({@code json} for {@code JSON}). */
    public static <E extends Enum<E>> ValueParser<E> oneOf(Class<E> type) {
        E[] constants = type.getEnumConstants();
        StringBuilder names = new StringBuilder();
        for (E constant : constants) {
            names.append(names.isEmpty() ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        String problem = "must be one of " + names;
        return text -> {
            for (E constant : constants) {
                if (constant.name().equalsIgnoreCase(text.strip())) {
                    return constant;
                }
            }
            throw new InvalidValue(problem);
        };
    }
}
