package io.jhttpd.app;

import io.jhttpd.HttpServer;
import io.jhttpd.app.ops.Metrics;
import io.jhttpd.filters.AsyncLogWriter;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The app once started by {@link App#start(Options, io.jhttpd.app.ops.OpsSettings, io.jhttpd.app.store.DataStore,
 * java.io.PrintStream)}: the API's server, the admin server when the ops endpoints have a port of their own,
 * and the access log's writer. Closing it stops the API gracefully (the admin port meanwhile answers
 * {@code /ready} with 503), then the admin server, then writes out and closes the access log. The
 * caller closes the data store after it.
 *
 * <p>Closing the API's {@link #server()} directly (as code written before this type does) also closes
 * the rest, once that server has stopped.
 *
 * <pre>{@code
 * try (RunningApp app = App.start(options, OpsSettings.defaults().withAdminPort(9090), store, System.out)) {
 *     app.awaitTermination();
 * }
 * }</pre>
 */
public final class RunningApp implements AutoCloseable {

    private static final Duration ADMIN_GRACE = Duration.ofSeconds(1);
    private static final Duration LOG_FLUSH_WAIT = Duration.ofSeconds(5);

    private final HttpServer server;
    private final HttpServer admin;
    private final AsyncLogWriter accessLog;
    private final Metrics metrics;
    private final ReentrantLock closeLock = new ReentrantLock();
    private boolean restClosed;

    RunningApp(HttpServer server, HttpServer admin, AsyncLogWriter accessLog, Metrics metrics) {
        this.server = server;
        this.admin = admin;
        this.accessLog = accessLog;
        this.metrics = metrics;
        Thread.ofVirtual().name("jhttpd-app-closer").start(() -> {
            try {
                server.awaitTermination();
                closeRest();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The API's server. */
    public HttpServer server() {
        return server;
    }

    /** The API's port. */
    public int port() {
        return server.port();
    }

    /** The server of the admin port, when the ops endpoints have one of their own. */
    public Optional<HttpServer> adminServer() {
        return Optional.ofNullable(admin);
    }

    /** The port serving {@code /health}, {@code /ready} and {@code /metrics}; -1 when they are turned off. */
    public int opsPort() {
        if (admin != null) {
            return admin.port();
        }
        return metrics == null ? -1 : server.port();
    }

    /** The counters behind {@code /metrics}; empty when the ops endpoints are turned off. */
    public Optional<Metrics> metrics() {
        return Optional.ofNullable(metrics);
    }

    /**
     * Waits until every access log line logged so far is written, at most {@code timeout}.
     *
     * @return true when it was (or there is no access log)
     */
    public boolean flushAccessLog(Duration timeout) throws InterruptedException {
        return accessLog == null || accessLog.flush(timeout);
    }

    /** Blocks until the API's server has stopped. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops within the API server's configured grace period. */
    @Override
    public void close() {
        close(server.config().shutdownGrace());
    }

    /**
     * Stops the API gracefully within {@code grace} (in-flight requests finish, or are cut at its end; {@code /ready} on the admin
     * port answers 503 meanwhile), then the admin server, then the access log. Closing twice is harmless.
     *
     * @return true when every API connection ended within the grace period
     */
    public boolean close(Duration grace) {
        boolean clean = server.close(grace);
        closeRest();
        return clean;
    }

    /** Once, after the API's server has stopped; a second caller waits for the first to finish. */
    private void closeRest() {
        closeLock.lock();
        try {
            if (restClosed) {
                return;
            }
            restClosed = true;
            if (admin != null) {
                admin.close(ADMIN_GRACE);
            }
            if (accessLog != null) {
                accessLog.flush(LOG_FLUSH_WAIT);
                accessLog.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            accessLog.close();
        } finally {
            closeLock.unlock();
        }
    }
}
