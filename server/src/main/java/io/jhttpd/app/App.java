package io.jhttpd.app;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.ServerConfig;
import io.jhttpd.app.api.DataRoutes;
import io.jhttpd.app.api.EchoRoutes;
import io.jhttpd.app.api.FileRoutes;
import io.jhttpd.app.api.WelcomeRoutes;
import io.jhttpd.app.json.JsonErrors;
import io.jhttpd.app.store.DataStore;
import io.jhttpd.files.StaticFiles;
import io.jhttpd.filters.AccessLogFilter;
import io.jhttpd.filters.CorsFilter;
import io.jhttpd.filters.GzipFilter;
import io.jhttpd.http.Filter;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Status;
import io.jhttpd.routing.Router;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's API as one handler: the routes of every resource behind the cross-cutting filters, and the
 * server around it. {@link Main} calls {@link #start}; tests call it too, on port 0.
 *
 * <pre>{@code
 * Options options = Options.parse("--port", "0", "--quiet");
 * try (DataStore store = options.store().open(); HttpServer server = App.start(options, store, System.out)) { ... }
 * }</pre>
 */
public final class App {

    private App() {
    }

    /**
     * Binds and serves {@code options}, keeping {@code /data} in {@code store}. The caller opened the
     * store ({@code options.store().open()}) and closes it after the server has stopped. The access log
     * goes to {@code out} unless {@code quiet}; the core logs failures with their cause through
     * {@code System.Logger}.
     *
     * @throws java.net.BindException when the port is in use
     */
    public static HttpServer start(Options options, DataStore store, PrintStream out) throws IOException {
        ServerConfig config = ServerConfig.defaults()
                .withHost(options.host())
                .withPort(options.port())
                .withLimits(Limits.defaults().withMaxBodyBytes(options.maxBodyBytes())
                        .withMaxConnections(options.maxConnections()));
        Handler handler = handler(options, store, out);
        JsonErrors errors = new JsonErrors(options.corsOrigin());
        // Render one error before serving: Jackson's classes load now, not inside the first client's
        // error response (measured: ~200 ms on the first 503 past the connection cap).
        errors.render(null, new HttpException(Status.SERVICE_UNAVAILABLE_503, "warm-up"));
        return HttpServer.start(config, handler, errors);
    }

    /** The routes of every resource, wrapped in the filters, outermost first. */
    static Handler handler(Options options, DataStore store, PrintStream out) throws IOException {
        return Filter.chain(router(options, store), filters(options, out).toArray(Filter[]::new));
    }

    static Router router(Options options, DataStore store) throws IOException {
        Router router = new Router();
        new WelcomeRoutes().register(router);
        new EchoRoutes().register(router);
        new DataRoutes(store).register(router);
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
    private static List<Filter> filters(Options options, PrintStream out) {
        List<Filter> filters = new ArrayList<>();
        if (!options.quiet()) {
            filters.add(new AccessLogFilter(out::println));
        }
        filters.add(new CorsFilter(options.corsOrigin()));
        filters.add(new GzipFilter());
        return filters;
    }
}
