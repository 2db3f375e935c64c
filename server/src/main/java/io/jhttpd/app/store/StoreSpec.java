package io.jhttpd.app.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which store to open, as given to {@code --store}: parsed and checked up front, opened later by
 * {@link #open()}. {@link #parse} is a pure function of its argument (and of whether a SQLite file's
 * directory exists), so every form is unit-tested.
 *
 * <pre>{@code
 * StoreSpec spec = StoreSpec.parse("sqlite:/var/lib/jhttpd/data.db");
 * try (DataStore store = spec.open()) { ... }
 * }</pre>
 */
public sealed interface StoreSpec {

    /** What {@code --store} accepts, for messages. */
    String FORMS = "memory, sqlite:PATH or postgresql://HOST[:PORT]/DB?user=USER&password=PASSWORD";

    /** Opens the store. Throws {@link StoreUnavailableException} when its database cannot be reached. */
    DataStore open();

    /** {@code --store memory}, the default: nothing survives the process. */
    record Memory() implements StoreSpec {
        @Override
        public DataStore open() {
            return new InMemoryDataStore();
        }

        @Override
        public String toString() {
            return "memory";
        }
    }

    /** {@code --store sqlite:PATH}; {@code groupCommit} false only for the benchmark's baseline. */
    record Sqlite(Path file, boolean groupCommit) implements StoreSpec {
        @Override
        public DataStore open() {
            return SqliteDataStore.open(file, groupCommit);
        }

        @Override
        public String toString() {
            return "sqlite:" + file;
        }
    }

    /** {@code --store postgresql://...}: the JDBC URL and the driver's properties (user, password, ...). */
    record Postgres(String jdbcUrl, Map<String, String> properties) implements StoreSpec {
        @Override
        public DataStore open() {
            return PostgresDataStore.open(jdbcUrl, properties);
        }

        /** The URL without credentials, safe for logs and messages. */
        @Override
        public String toString() {
            return jdbcUrl.substring("jdbc:".length());
        }
    }

    /**
     * Parses a {@code --store} value.
     *
     * @throws IllegalArgumentException saying what is wrong, in words that follow the setting's name
     *                                  ("must be ..."); the message never repeats a password
     */
    static StoreSpec parse(String value) {
        if (value.equals("memory")) {
            return new Memory();
        }
        if (value.startsWith("sqlite:")) {
            return sqlite(value.substring("sqlite:".length()));
        }
        if (value.startsWith("postgresql://") || value.startsWith("postgres://")) {
            return postgres(value);
        }
        throw new IllegalArgumentException("must be " + FORMS);
    }

    private static Sqlite sqlite(String path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("must be sqlite:PATH with the path of the database file");
        }
        Path file = Path.of(path).toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("must be sqlite:PATH naming a file, not a directory");
        }
        if (file.getParent() == null || !Files.isDirectory(file.getParent())) {
            throw new IllegalArgumentException("must be sqlite:PATH in a directory that exists; the directory of this database file does not exist");
        }
        return new Sqlite(Path.of(path), true);
    }

    private static Postgres postgres(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be a valid URL such as "
                    + "postgresql://HOST[:PORT]/DB?user=USER&password=PASSWORD");
        }
        String db = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri.getHost() == null || uri.getPort() > 65_535 || db.length() < 2 || db.indexOf('/', 1) >= 0 || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must look like postgresql://HOST[:PORT]/DB?user=USER&password=PASSWORD");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        if (uri.getRawUserInfo() != null) {
            String[] userInfo = uri.getRawUserInfo().split(":", 2);
            properties.put("user", decode(userInfo[0]));
            if (userInfo.length == 2) {
                properties.put("password", decode(userInfo[1]));
            }
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("must be postgresql://HOST[:PORT]/DB?NAME=VALUE&...: each query parameter must be NAME=VALUE");
                }
                properties.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        if (properties.getOrDefault("user", "").isEmpty()) {
            throw new IllegalArgumentException("must be postgresql://HOST[:PORT]/DB?user=USER&password=PASSWORD: the user is missing");
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        return new Postgres("jdbc:postgresql://" + uri.getHost() + ":" + port + db, properties);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
