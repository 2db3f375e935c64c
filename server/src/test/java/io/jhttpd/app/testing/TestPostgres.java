package io.jhttpd.app.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.fail;

/**
 * The PostgreSQL the tests share, which {@code scripts/start-test-services} starts: its URL comes from
 * {@code JHTTPD_TEST_PG_URL}, default {@value #DEFAULT_URL}. A test that needs it fails (it is never
 * skipped) when it cannot connect, saying how to start it. Each test works in a schema of its own, so
 * tests never see each other's items and ids.
 *
 * <pre>{@code
 * try (TestPostgres.Schema schema = TestPostgres.freshSchema()) {
 *     TestApp app = TestApp.start(temp, "--store", schema.storeUrl());
 * }
 * }</pre>
 */
public final class TestPostgres {

    public static final String DEFAULT_URL = "postgresql://127.0.0.1:5433/jhttpd_test?user=jhttpd&password=jhttpd";
    private static final Pattern URL = Pattern.compile("postgresql://([^/]+)/([^?]+)\\?user=([^&]+)&password=([^&]+)");

    private TestPostgres() {
    }

    /** The {@code --store} value of the test database. */
    public static String url() {
        String env = System.getenv("JHTTPD_TEST_PG_URL");
        return env == null || env.isBlank() ? DEFAULT_URL : env;
    }

    /** A new, empty schema; closing it drops it with everything in it. */
    public static Schema freshSchema() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + name, e);
        }
        return new Schema(name);
    }

    /** A JDBC connection to the test database, or a failed test naming the script that starts it. */
    public static Connection connect() {
        Matcher m = URL.matcher(url());
        if (!m.matches()) {
            throw new IllegalStateException("JHTTPD_TEST_PG_URL must look like " + DEFAULT_URL);
        }
        Properties p = new Properties();
        p.setProperty("user", m.group(3));
        p.setProperty("password", m.group(4));
        p.setProperty("connectTimeout", "5");
        try {
            return DriverManager.getConnection("jdbc:postgresql://" + m.group(1) + "/" + m.group(2), p);
        } catch (SQLException e) {
            return fail("PostgreSQL is not reachable at " + m.group(1) + "/" + m.group(2) + " (" + e.getMessage()
                    + "). Start it with scripts/start-test-services (as root; it installs PostgreSQL when missing),"
                    + " or point JHTTPD_TEST_PG_URL at another database.");
        }
    }

    /** One test's schema: {@link #storeUrl()} is a {@code --store} value whose tables live in it. */
    public record Schema(String name) implements AutoCloseable {

        public String storeUrl() {
            return url() + "&currentSchema=" + name;
        }

        @Override
        public void close() {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop schema " + name, e);
            }
        }
    }
}
