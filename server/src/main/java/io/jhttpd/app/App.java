package io.jhttpd.app;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.ServerConfig;
import io.jhttpd.ServerListener;
import io.jhttpd.app.api.DataRoutes;
import io.jhttpd.app.api.EchoRoutes;
import io.jhttpd.app.api.FileRoutes;
import io.jhttpd.app.api.WelcomeRoutes;
import io.jhttpd.app.json.JsonErrors;
import io.jhttpd.app.ops.Metrics;
import io.jhttpd.app.ops.OpsRoutes;
import io.jhttpd.app.ops.OpsSettings;
import io.jhttpd.app.ops.Readiness;
import io.jhttpd.app.store.DataStore;
import io.jhttpd.files.StaticFiles;
import io.jhttpd.filters.AccessLogFilter;
import io.jhttpd.filters.AsyncLogWriter;
import io.jhttpd.filters.CorsFilter;
import io.jhttpd.filters.GzipFilter;
import io.jhttpd.http.Filter;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Status;
import io.jhttpd.routing.Router;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's API as one handler: the routes of every resource behind the cross-cutting filters, and the
 * server around it, with the operator endpoints ({@code /health}, {@code /ready}, {@code /metrics}) on
 * the same port or an admin port of their own. {@link Main} calls {@link #start}; tests call it too, on
 * port 0.
 *
 * <pre>{@code
 * Options options = Options.parse("--port", "0", "--quiet");
 * try (DataStore store = options.store().open();
 *      RunningApp app = App.start(options, options.ops(), store, System.out)) { ... }
 * }</pre>
 */
public final class App {

    /** How long {@code /ready} waits for the store's ping. */
    static final Duration READY_BUDGET = Duration.ofSeconds(1);
    /** The admin port is for a few probes and scrapers, not for the public. */
    private static final int ADMIN_MAX_CONNECTIONS = 64;

    private App() {
    }

    /**
     * {@link #start(Options, OpsSettings, DataStore, PrintStream)} with the options' own {@link
     * Options#ops()}. Closing the returned server closes the rest once it has stopped.
     */
    public static HttpServer start(Options options, DataStore store, PrintStream out) throws IOException {
        return start(options, options.ops(), store, out).server();
    }

    /**
     * Binds and serves {@code options}, keeping {@code /data} in {@code store}. The caller opened the
     * store ({@code options.store().open()}) and closes it after the app has stopped. The access log goes
     * to {@code ops.accessLogFile()}, or to {@code out} when that is null, unless {@code options.quiet()};
     * it is written by a thread of its own, so that a slow disk never holds a request. The core logs
     * failures with their cause through {@code System.Logger}.
     *
     * @throws java.net.BindException when the port (or the admin port) is in use, or the admin host
     *                               cannot be resolved
     * @throws IOException            when the access log file cannot be opened
     */
    public static RunningApp start(Options options, OpsSettings ops, DataStore store, PrintStream out)
            throws IOException {
        AsyncLogWriter accessLog = options.quiet() ? null : openAccessLog(ops, out);
        try {
            return start(options, ops, store, accessLog);
        } catch (IOException | RuntimeException e) {
            if (accessLog != null) {
                accessLog.close();
            }
            throw e;
        }
    }

    private static RunningApp start(Options options, OpsSettings ops, DataStore store, AsyncLogWriter accessLog)
            throws IOException {
        Metrics metrics = ops.opsEndpoints() ? new Metrics(accessLog == null ? () -> 0 : accessLog::dropped) : null;
        Readiness readiness = new Readiness(store, READY_BUDGET);
        Router router = router(options, store, metrics == null ? () -> { } : metrics::storeError);
        if (metrics != null && !ops.separateAdminPort()) {
            new OpsRoutes(metrics, readiness).register(router);
        }
        JsonErrors errors = new JsonErrors(options.corsOrigin());
        AccessLogFilter accessLogFilter = accessLog == null ? null
                : new AccessLogFilter(ops.accessLogFormat(), accessLog).measuringErrorsWith(errors);
        ServerConfig config = ServerConfig.defaults()
                .withHost(options.host())
                .withPort(options.port())
                .withLimits(Limits.defaults().withMaxBodyBytes(options.maxBodyBytes())
                        .withMaxConnections(options.maxConnections()))
                .withShutdownGrace(options.shutdownGrace())
                // The access log's second half: the requests the server refuses before any filter.
                // (With the ops endpoints off it alone turns the per-request meter on: a clock read
                // and two byte counts per request, the price of logging every refusal.)
                .withListener(ServerListener.all(metrics == null ? ServerListener.NONE : metrics,
                        accessLogFilter == null ? ServerListener.NONE : accessLogFilter.refusals()));
        Handler handler = Filter.chain(router, filters(options, accessLogFilter).toArray(Filter[]::new));
        // Render one error before serving: Jackson's classes load now, not inside the first client's
        // error response (measured: ~200 ms on the first 503 past the connection cap).
        errors.render(null, new HttpException(Status.SERVICE_UNAVAILABLE_503, "warm-up"));
        HttpServer server = HttpServer.start(config, handler, errors);
        readiness.stoppingWhen(server::isStopping);
        HttpServer admin = null;
        if (ops.separateAdminPort()) {
            try {
                admin = startAdmin(options, ops, new OpsRoutes(metrics, readiness));
            } catch (IOException | RuntimeException e) {
                server.close(Duration.ZERO);
                throw e;
            }
        }
        return new RunningApp(server, admin, accessLog, metrics);
    }

    /** The ops endpoints alone, gzipped for scrapers that ask, with no access log (probes would flood it). */
    private static HttpServer startAdmin(Options options, OpsSettings ops, OpsRoutes routes) throws IOException {
        ServerConfig config = ServerConfig.defaults()
                .withHost(ops.adminHost() == null ? options.host() : ops.adminHost())
                .withPort(ops.adminPort())
                .withLimits(Limits.defaults().withMaxConnections(ADMIN_MAX_CONNECTIONS))
                .withShutdownGrace(Duration.ofSeconds(1));
        Handler handler = Filter.chain(routes.register(new Router()), new GzipFilter());
        try {
            return HttpServer.start(config, handler, new JsonErrors(null));
        } catch (java.net.BindException e) {
            // Say which of the two ports it was: the message is what Main prints.
            throw new java.net.BindException("admin port " + config.host() + ":" + config.port() + ": "
                    + (e.getMessage() == null ? "address already in use" : e.getMessage()));
        } catch (java.nio.channels.UnresolvedAddressException e) {
            // Main would blame the API's address for an --admin-host it cannot resolve.
            throw new java.net.BindException("admin port " + config.host() + ":" + config.port() + ": unknown host");
        }
    }

    private static AsyncLogWriter openAccessLog(OpsSettings ops, PrintStream out) throws AccessLogUnavailable {
        if (ops.accessLogFile() == null) {
            return AsyncLogWriter.toStream(out, ops.accessLogBuffer());
        }
        try {
            return AsyncLogWriter.toFile(ops.accessLogFile(), ops.accessLogBuffer());
        } catch (IOException e) {
            throw new AccessLogUnavailable(ops.accessLogFile(), e);
        }
    }

    /** The access log file cannot be opened (a directory without write permission, say). */
    public static final class AccessLogUnavailable extends IOException {
        AccessLogUnavailable(java.nio.file.Path file, IOException cause) {
            super("cannot open the access log " + file + ": " + (cause.getMessage() == null
                    ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
        }
    }

    static Router router(Options options, DataStore store, Runnable onStoreUnavailable) throws IOException {
        Router router = new Router();
        new WelcomeRoutes().register(router);
        new EchoRoutes().register(router);
        new DataRoutes(store, onStoreUnavailable).register(router);
        if (options.directory() != null) {
            new FileRoutes(options.directory()).register(router);
        }
        if (options.staticDir() != null) {
            // GET also answers HEAD; StaticFiles refuses every path that would leave the directory.
            router.get("/static/{path...}", new StaticFiles(options.staticDir()));
        }
        return router;
    }

    /**
     * Access log outermost (it times and sees every answer), then CORS (which also turns a crash into
     * the 500 HttpException it would become, so that the answer carries its header), then gzip.
     */
    private static List<Filter> filters(Options options, AccessLogFilter accessLog) {
        List<Filter> filters = new ArrayList<>();
        if (accessLog != null) {
            filters.add(accessLog);
        }
        // The methods the routes serve, and whatever request headers a page asks for (no credentials
        // are ever allowed, so there is nothing to protect by a fixed list).
        filters.add(new CorsFilter(options.corsOrigin())
                .withAllowedMethods(Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.DELETE, Method.OPTIONS)
                .withRequestHeadersEchoed());
        filters.add(new GzipFilter());
        return filters;
    }
}
