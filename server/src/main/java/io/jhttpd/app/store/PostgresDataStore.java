package io.jhttpd.app.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A {@link DataStore} in PostgreSQL: {@code --store postgresql://HOST:PORT/DB?user=U&password=P}. Any
 * number of jhttpd instances may share one database: ids come from an identity column, whose sequence
 * hands each value out once, across instances and restarts, and never takes one back.
 *
 * <p>Connections come from a HikariCP pool of {@value #POOL_SIZE}; statements are prepared (the driver
 * switches to server-side prepared statements after a few uses on a connection). Each write is one
 * auto-committed statement, so a 201 or 200 is sent after PostgreSQL has made it durable (its
 * default {@code synchronous_commit=on}).
 *
 * <p><b>When the database goes away</b>, nothing waits long: borrowing a connection gives up after
 * {@value #CONNECTION_TIMEOUT_MS} ms, connecting after 3 s, a statement after
 * {@value #STATEMENT_TIMEOUT_MS} ms on the server and a silent socket after
 * {@value #SOCKET_TIMEOUT_S} s. Each becomes {@link StoreUnavailableException}, a 503. The pool drops
 * broken connections and opens new ones when asked, so the store recovers by itself once the
 * database is back.
 *
 * <p>Items are stored as their JSON text (a {@code text} column), not {@code jsonb}: jsonb reorders keys
 * and would change how numbers are written, and the API promises items back as they were sent.
 *
 * <pre>{@code
 * try (DataStore store = PostgresDataStore.open("jdbc:postgresql://db:5432/app", Map.of("user", "app", "password", "s3cret"))) { ... }
 * }</pre>
 */
public final class PostgresDataStore implements DataStore {

    static final int POOL_SIZE = 10;
    static final long CONNECTION_TIMEOUT_MS = 3_000;
    static final long STATEMENT_TIMEOUT_MS = 5_000;
    static final int SOCKET_TIMEOUT_S = 10;
    static final int PING_TIMEOUT_S = 1;
    /** Serialises schema creation when several instances start at once (CREATE IF NOT EXISTS can race). */
    private static final long SCHEMA_LOCK = 0x6A68_7474_7064L;

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS jhttpd_items (
                id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                body TEXT NOT NULL
            )""";

    private final HikariDataSource pool;

    private PostgresDataStore(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Connects, and creates the table on first use.
     *
     * @param jdbcUrl    {@code jdbc:postgresql://host:port/db}
     * @param properties driver properties: {@code user}, {@code password}, and any other pgjdbc setting
     * @throws StoreUnavailableException when the database cannot be reached or the table cannot be made
     */
    public static PostgresDataStore open(String jdbcUrl, Map<String, String> properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("jhttpd-postgresql");
        config.setJdbcUrl(jdbcUrl);
        // Named, not looked up: the shaded jar holds two JDBC drivers.
        config.setDriverClassName("org.postgresql.Driver");
        Properties driver = new Properties();
        driver.setProperty("connectTimeout", "3");
        driver.setProperty("loginTimeout", "3");
        driver.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_S));
        driver.setProperty("tcpKeepAlive", "true");
        driver.putAll(properties);
        config.setDataSourceProperties(driver);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setValidationTimeout(2_000);
        config.setConnectionInitSql("SET statement_timeout = " + STATEMENT_TIMEOUT_MS);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("Cannot connect to PostgreSQL at " + jdbcUrl, e);
        }
        try {
            createSchema(pool);
        } catch (SQLException e) {
            pool.close();
            throw new StoreUnavailableException("Cannot create the table jhttpd_items at " + jdbcUrl, e);
        }
        return new PostgresDataStore(pool);
    }

    private static void createSchema(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                s.execute(SCHEMA);
                c.commit();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    @Override
    public Item create(ObjectNode fields) {
        byte[] json = Items.fieldsJson(fields);
        String text = new String(json, StandardCharsets.UTF_8);
        long id = run("INSERT INTO jhttpd_items (body) VALUES (?) RETURNING id", insert -> {
            insert.setString(1, text);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        return Item.of(id, json);
    }

    @Override
    public Optional<Item> get(long id) {
        return run("SELECT body FROM jhttpd_items WHERE id = ?", select -> {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(Items.item(id, rs.getString(1))) : Optional.empty();
            }
        });
    }

    @Override
    public List<Item> list() {
        return run("SELECT id, body FROM jhttpd_items ORDER BY id", select -> {
            List<Item> all = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    all.add(Items.item(rs.getLong(1), rs.getString(2)));
                }
            }
            return all;
        });
    }

    @Override
    public Optional<Item> replace(long id, ObjectNode fields) {
        return update(id, fields, null);
    }

    @Override
    public Optional<Item> replaceIfUnchanged(long id, ObjectNode fields, Item expected) {
        return update(id, fields, expected.fieldsText());
    }

    /** One statement, so the comparison and the change are atomic in the database. */
    private Optional<Item> update(long id, ObjectNode fields, String expected) {
        byte[] json = Items.fieldsJson(fields);
        String text = new String(json, StandardCharsets.UTF_8);
        String sql = expected == null ? "UPDATE jhttpd_items SET body = ? WHERE id = ?"
                : "UPDATE jhttpd_items SET body = ? WHERE id = ? AND body = ?";
        int changed = run(sql, update -> {
            update.setString(1, text);
            update.setLong(2, id);
            if (expected != null) {
                update.setString(3, expected);
            }
            return update.executeUpdate();
        });
        return changed == 0 ? Optional.empty() : Optional.of(Item.of(id, json));
    }

    @Override
    public boolean delete(long id) {
        return remove(id, null);
    }

    @Override
    public boolean deleteIfUnchanged(long id, Item expected) {
        return remove(id, expected.fieldsText());
    }

    private boolean remove(long id, String expected) {
        String sql = expected == null ? "DELETE FROM jhttpd_items WHERE id = ?"
                : "DELETE FROM jhttpd_items WHERE id = ? AND body = ?";
        return run(sql, delete -> {
            delete.setLong(1, id);
            if (expected != null) {
                delete.setString(2, expected);
            }
            return delete.executeUpdate();
        }) > 0;
    }

    /**
     * Ready when a pooled connection answers a round trip within {@value #PING_TIMEOUT_S} s. Borrowing
     * one may wait up to {@value #CONNECTION_TIMEOUT_MS} ms while the database is down; the readiness
     * check bounds its own wait.
     */
    @Override
    public void ping() {
        try (Connection c = pool.getConnection()) {
            if (!c.isValid(PING_TIMEOUT_S)) {
                throw new StoreUnavailableException("PostgreSQL did not answer a ping", null);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("PostgreSQL is unreachable", e);
        }
    }

    /** Closes the pool and its connections. */
    @Override
    public void close() {
        pool.close();
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(PreparedStatement statement) throws SQLException;
    }

    /** One statement on a pooled connection; every SQL failure means the database cannot serve us now. */
    private <T> T run(String sql, Work<T> body) {
        try (Connection c = pool.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            return body.apply(statement);
        } catch (SQLException e) {
            throw new StoreUnavailableException("PostgreSQL did not complete the request", e);
        }
    }
}
