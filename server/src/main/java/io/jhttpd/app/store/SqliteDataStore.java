package io.jhttpd.app.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sqlite.SQLiteConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DataStore} in one SQLite file: {@code --store sqlite:PATH}.
 *
 * <p><b>Durable before acknowledged.</b> Writes go through a {@link GroupCommitWriter}: one thread,
 * one connection, many callers' writes per transaction, run by {@link SqliteWrites} (all the inserts
 * of a transaction in one statement). The database is in WAL mode with
 * {@code synchronous=FULL}, so every commit fsyncs the WAL before it returns; {@code NORMAL} would
 * sync only at checkpoints and could lose the last acknowledged commits on power loss. A create,
 * replace or delete returns only after its commit, so a 201 or 200 is never sent for a write that a
 * crash (of the process or the machine) can undo.
 *
 * <p><b>Reads never wait behind writes.</b> WAL readers see the last commit without taking the write
 * lock. Reads use a small pool of their own connections, so a reader waits only for another reader
 * when all {@value #READERS} are busy.
 *
 * <p><b>Ids.</b> {@code INTEGER PRIMARY KEY AUTOINCREMENT}: SQLite keeps the highest id ever used in
 * {@code sqlite_sequence}, so an id is never reused, not even after deleting the newest item and
 * restarting.
 *
 * <pre>{@code
 * try (DataStore store = SqliteDataStore.open(Path.of("data.db"), true)) { ... }
 * }</pre>
 */
public final class SqliteDataStore implements DataStore {

    /** Read connections; more than the cores, since a read may wait on the disk. */
    static final int READERS = 4;
    /** The most writes one transaction takes: bounds the time one commit holds its callers. */
    static final int MAX_BATCH = 1000;

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS items (
                id   INTEGER PRIMARY KEY AUTOINCREMENT,
                body TEXT NOT NULL
            )""";

    private final GroupCommitWriter<SqliteWrites.Write> writer;
    private final ArrayBlockingQueue<Reader> readers = new ArrayBlockingQueue<>(READERS);

    private SqliteDataStore(GroupCommitWriter<SqliteWrites.Write> writer) {
        this.writer = writer;
    }

    /**
     * Opens (creating when absent) the database file.
     *
     * @param groupCommit false to commit every write on its own (one fsync each): only for comparison
     * @throws StoreUnavailableException when the file cannot be opened or is not a database
     */
    public static SqliteDataStore open(Path file, boolean groupCommit) {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        try {
            try (Connection setup = connect(url); Statement s = setup.createStatement()) {
                // journal_mode is a property of the file and persists; set it before anyone else opens it.
                s.execute("PRAGMA journal_mode=WAL");
                s.execute(SCHEMA);
            }
            GroupCommitWriter<SqliteWrites.Write> writer = new GroupCommitWriter<>(() -> writerConnection(url),
                    new SqliteWrites(), groupCommit ? MAX_BATCH : 1, "jhttpd-sqlite-writer");
            SqliteDataStore store = new SqliteDataStore(writer);
            try {
                for (int i = 0; i < READERS; i++) {
                    store.readers.add(new Reader(connect(url)));
                }
            } catch (SQLException e) {
                store.close();
                throw e;
            }
            return store;
        } catch (SQLException e) {
            throw new StoreUnavailableException("Cannot open the SQLite database " + file, e);
        }
    }

    private static Connection connect(String url) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(5_000);
        return DriverManager.getConnection(url, config.toProperties());
    }

    private static Connection writerConnection(String url) throws SQLException {
        Connection c = connect(url);
        c.setAutoCommit(false);
        return c;
    }

    @Override
    public Item create(ObjectNode fields) {
        byte[] json = Items.fieldsJson(fields);
        long id = writer.<Long>submit(new SqliteWrites.Insert(new String(json, StandardCharsets.UTF_8)));
        return Item.of(id, json);
    }

    @Override
    public Optional<Item> get(long id) {
        return read(reader -> {
            reader.get.setLong(1, id);
            try (ResultSet rs = reader.get.executeQuery()) {
                return rs.next() ? Optional.of(Items.item(id, rs.getString(1))) : Optional.empty();
            }
        });
    }

    @Override
    public List<Item> list() {
        return read(reader -> {
            List<Item> all = new ArrayList<>();
            try (ResultSet rs = reader.list.executeQuery()) {
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

    private Optional<Item> update(long id, ObjectNode fields, String expected) {
        byte[] json = Items.fieldsJson(fields);
        int changed = writer.<Integer>submit(new SqliteWrites.Update(id, new String(json, StandardCharsets.UTF_8), expected));
        return changed == 0 ? Optional.empty() : Optional.of(Item.of(id, json));
    }

    @Override
    public boolean delete(long id) {
        return writer.<Integer>submit(new SqliteWrites.Delete(id, null)) > 0;
    }

    @Override
    public boolean deleteIfUnchanged(long id, Item expected) {
        return writer.<Integer>submit(new SqliteWrites.Delete(id, expected.fieldsText())) > 0;
    }

    /**
     * Ready when the writer thread runs and a read connection answers a query on the table within a
     * second (all {@value #READERS} busy for longer means the store is saturated: not ready either).
     */
    @Override
    public void ping() {
        if (!writer.alive()) {
            throw new StoreUnavailableException("The SQLite writer has stopped", null);
        }
        read(1, reader -> {
            try (ResultSet rs = reader.ping.executeQuery()) {
                return rs.next();
            }
        });
    }

    /** Transactions committed since the store opened (group commit makes it smaller than the writes). */
    long commits() {
        return writer.commits();
    }

    GroupCommitWriter<SqliteWrites.Write> writer() {
        return writer;
    }

    /** Commits what is queued, then closes every connection. */
    @Override
    public void close() {
        writer.close();
        Reader reader;
        while ((reader = readers.poll()) != null) {
            reader.close();
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T apply(Reader reader) throws SQLException;
    }

    private <T> T read(Read<T> read) {
        return read(5, read);
    }

    private <T> T read(long waitSeconds, Read<T> read) {
        Reader reader;
        try {
            // Bounded, so that a read after close() (or a reader lost to a bug) fails instead of hanging.
            reader = readers.poll(waitSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while waiting for a read connection", e);
        }
        if (reader == null) {
            throw new StoreUnavailableException("No read connection became free", null);
        }
        try {
            return read.apply(reader);
        } catch (SQLException e) {
            throw new StoreUnavailableException("The read failed", e);
        } finally {
            readers.add(reader);
        }
    }

    /** One read connection with its statements prepared once. */
    private static final class Reader {
        final Connection connection;
        final PreparedStatement get;
        final PreparedStatement list;
        final PreparedStatement ping;

        Reader(Connection connection) throws SQLException {
            this.connection = connection;
            this.get = connection.prepareStatement("SELECT body FROM items WHERE id = ?");
            this.list = connection.prepareStatement("SELECT id, body FROM items ORDER BY id");
            this.ping = connection.prepareStatement("SELECT 1 FROM items LIMIT 1");
        }

        void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing at shutdown; nothing was pending on a reader
            }
        }
    }
}
