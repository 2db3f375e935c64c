package io.jhttpd.app;

import io.jhttpd.app.store.StoreSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The command line, parsed and checked, with nothing started yet: {@link #parse(String...)} is a pure
 * function of its arguments (and of whether {@code ./static} and the directories it names exist), so
 * every flag is unit-tested. {@code --store} is checked here and opened by {@link Main}.
 *
 * <pre>{@code
 * Options options = Options.parse("--port", "9000", "--directory", "/srv/files");
 * }</pre>
 *
 * @param action        what to do: serve, or print help or the version
 * @param host          the address to bind ({@code 0.0.0.0}: every interface)
 * @param port          0..65535; 0 picks a free port
 * @param directory     the directory behind {@code /files}, or null when not given
 * @param staticDir     the directory behind {@code /static}, or null for none
 * @param maxBodyBytes  the request body limit (413 above it)
 * @param maxConnections the open-connection cap (a newcomer past it gets 503 and is closed)
 * @param corsOrigin    the value of {@code Access-Control-Allow-Origin}
 * @param quiet         no access log on stdout
 * @param store         where {@code /data} keeps its items
 */
public record Options(Action action, String host, int port, Path directory, Path staticDir, long maxBodyBytes,
                      int maxConnections, String corsOrigin, boolean quiet, StoreSpec store) {

    public enum Action { SERVE, HELP, VERSION }

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final long DEFAULT_MAX_BODY = 5L * 1024 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    private static final Set<String> VALUE_FLAGS =
            Set.of("--port", "--host", "--directory", "--static", "--max-body", "--max-connections", "--cors-origin",
                    "--store");

    /**
     * Not in the usage: commits every SQLite write on its own (one fsync each) instead of grouping
     * concurrent writes. It only exists so that bench/stores/run can show what group commit buys.
     */
    static final String NO_GROUP_COMMIT = "--no-group-commit";

    public static final String USAGE = """
            Usage: jhttpd [options]
                   jhttpd PORT

            Options:
              --port N           port to listen on, 0..65535 (default 8080; 0 picks a free port)
              --host ADDR        address to bind (default 0.0.0.0, every interface)
              --directory DIR    serve and accept files under /files/{name} from DIR
              --static DIR       serve DIR under /static/ (default ./static when it exists)
              --max-body SIZE    largest request body: 1048576, 512KB, 5MB or 1GB (default 5MB; K/M/G = 1024)
              --max-connections N  at most N open connections, 1..1000000 (default 10000);
                                 past it a new connection gets 503 and is closed
              --cors-origin O    Access-Control-Allow-Origin for every response (default *)
              --store STORE      where /data keeps its items (default memory):
                                   memory                 in this process, gone when it stops
                                   sqlite:PATH            a SQLite database file, created when absent
                                   postgresql://HOST[:PORT]/DB?user=USER&password=PASSWORD
                                                          PostgreSQL, shareable by several instances
              --quiet            no access log on stdout
              --help             print this help
              --version          print the version
            """;

    /** Parses {@code args}, taking {@code ./static} relative to the current directory. */
    public static Options parse(String... args) throws UsageException {
        return parse(Path.of(""), args);
    }

    /**
     * Parses {@code args}; {@code workingDir} is where the default {@code static} directory is looked for.
     *
     * @throws UsageException for an unknown flag, a missing or bad value, a flag given twice, or a
     *                        directory that does not exist
     */
    public static Options parse(Path workingDir, String... args) throws UsageException {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return defaults(Action.HELP, workingDir);
            }
        }
        for (String arg : args) {
            if (arg.equals("--version") || arg.equals("-V")) {
                return defaults(Action.VERSION, workingDir);
            }
        }
        if (args.length == 1 && !args[0].startsWith("-")) {
            return defaults(Action.SERVE, workingDir).withPort(port(args[0]));
        }
        return parseFlags(workingDir, args);
    }

    private static Options parseFlags(Path workingDir, String[] args) throws UsageException {
        Options o = defaults(Action.SERVE, workingDir);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            if (!flag.startsWith("--")) {
                throw new UsageException("unexpected argument '" + printable(flag) + "'");
            }
            if (!VALUE_FLAGS.contains(flag) && !flag.equals("--quiet") && !flag.equals(NO_GROUP_COMMIT)) {
                throw new UsageException("unknown option " + printable(flag));
            }
            if (!seen.add(flag)) {
                throw new UsageException(flag + " given twice");
            }
            if (flag.equals(NO_GROUP_COMMIT)) {
                if (value != null) {
                    throw new UsageException(NO_GROUP_COMMIT + " takes no value");
                }
                continue;
            }
            if (flag.equals("--quiet")) {
                if (value != null) {
                    throw new UsageException("--quiet takes no value");
                }
                o = new Options(o.action, o.host, o.port, o.directory, o.staticDir, o.maxBodyBytes, o.maxConnections,
                        o.corsOrigin, true, o.store);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(flag + " needs a value");
                }
                value = args[++i];
            }
            o = switch (flag) {
                case "--port" -> o.withPort(port(value));
                case "--host" -> new Options(o.action, host(value), o.port, o.directory, o.staticDir, o.maxBodyBytes,
                        o.maxConnections, o.corsOrigin, o.quiet, o.store);
                case "--directory" -> new Options(o.action, o.host, o.port, directory(flag, value), o.staticDir,
                        o.maxBodyBytes, o.maxConnections, o.corsOrigin, o.quiet, o.store);
                case "--static" -> new Options(o.action, o.host, o.port, o.directory, directory(flag, value),
                        o.maxBodyBytes, o.maxConnections, o.corsOrigin, o.quiet, o.store);
                case "--max-body" -> new Options(o.action, o.host, o.port, o.directory, o.staticDir, size(value),
                        o.maxConnections, o.corsOrigin, o.quiet, o.store);
                case "--max-connections" -> new Options(o.action, o.host, o.port, o.directory, o.staticDir,
                        o.maxBodyBytes, maxConnections(value), o.corsOrigin, o.quiet, o.store);
                case "--cors-origin" -> new Options(o.action, o.host, o.port, o.directory, o.staticDir,
                        o.maxBodyBytes, o.maxConnections, origin(value), o.quiet, o.store);
                case "--store" -> new Options(o.action, o.host, o.port, o.directory, o.staticDir, o.maxBodyBytes,
                        o.maxConnections, o.corsOrigin, o.quiet, store(value));
                default -> throw new UsageException("unknown option " + printable(flag));
            };
        }
        if (seen.contains(NO_GROUP_COMMIT)) {
            if (!(o.store instanceof StoreSpec.Sqlite sqlite)) {
                throw new UsageException(NO_GROUP_COMMIT + " applies only to --store sqlite:PATH");
            }
            o = new Options(o.action, o.host, o.port, o.directory, o.staticDir, o.maxBodyBytes, o.maxConnections,
                    o.corsOrigin, o.quiet, new StoreSpec.Sqlite(sqlite.file(), false));
        }
        return o;
    }

    private static StoreSpec store(String value) throws UsageException {
        try {
            return StoreSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(printable(e.getMessage()));
        }
    }

    private static Options defaults(Action action, Path workingDir) {
        Path staticDir = workingDir.resolve("static");
        return new Options(action, DEFAULT_HOST, DEFAULT_PORT, null, Files.isDirectory(staticDir) ? staticDir : null,
                DEFAULT_MAX_BODY, DEFAULT_MAX_CONNECTIONS, "*", false, new StoreSpec.Memory());
    }

    private Options withPort(int newPort) {
        return new Options(action, host, newPort, directory, staticDir, maxBodyBytes, maxConnections, corsOrigin,
                quiet, store);
    }

    static int port(String value) throws UsageException {
        if (value.isEmpty() || value.length() > 5 || !digits(value)) {
            throw new UsageException("port must be a number from 0 to 65535, not '" + printable(value) + "'");
        }
        int port = Integer.parseInt(value);
        if (port > 65_535) {
            throw new UsageException("port must be a number from 0 to 65535, not '" + value + "'");
        }
        return port;
    }

    static int maxConnections(String value) throws UsageException {
        if (value.isEmpty() || value.length() > 7 || !digits(value)
                || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 1_000_000) {
            throw new UsageException("--max-connections must be a number from 1 to 1000000, not '"
                    + printable(value) + "'");
        }
        return Integer.parseInt(value);
    }

    private static String host(String value) throws UsageException {
        if (value.isEmpty() || !value.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new UsageException("--host needs an address such as 0.0.0.0, 127.0.0.1 or ::1");
        }
        return value;
    }

    private static Path directory(String flag, String value) throws UsageException {
        Path dir = Path.of(value);
        if (!Files.isDirectory(dir)) {
            throw new UsageException(flag + " " + printable(value) + " is not a directory");
        }
        return dir;
    }

    /**
     * A byte count: digits, optionally followed by B, KB, MB or GB (any case; K, M, G also accepted),
     * with K = 1024. Must be at least 1 and fit in a long.
     */
    static long size(String value) throws UsageException {
        String upper = value.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        String number = upper;
        String[][] units = {{"KB", "K"}, {"MB", "M"}, {"GB", "G"}, {"B", "B"}};
        long[] factors = {1024L, 1024L * 1024, 1024L * 1024 * 1024, 1};
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
        if (number.isEmpty() || number.length() > 18 || !digits(number)) {
            throw new UsageException("--max-body must be a size such as 1048576, 512KB or 5MB, not '"
                    + printable(value) + "'");
        }
        long n = Long.parseLong(number);
        if (n == 0 || n > Long.MAX_VALUE / unit) {
            throw new UsageException("--max-body must be at least 1 byte and at most " + Long.MAX_VALUE
                    + ", not '" + printable(value) + "'");
        }
        return n * unit;
    }

    /** "*" or an origin; visible ASCII without spaces or commas, so it can never split a header. */
    private static String origin(String value) throws UsageException {
        boolean ok = value.equals("*") || !value.isEmpty()
                && value.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != ',');
        if (!ok) {
            throw new UsageException("--cors-origin must be * or an origin such as https://example.com");
        }
        return value;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Echoes user input into a message without letting control characters reach the terminal. */
    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
