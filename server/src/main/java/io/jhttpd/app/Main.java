package io.jhttpd.app;

import io.jhttpd.app.store.DataStore;
import io.jhttpd.app.config.UsageException;
import io.jhttpd.app.store.StoreUnavailableException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The command line: {@code java -jar jhttpd.jar [--port N] [--directory DIR] ...} (see
 * {@link Options#USAGE}), with settings also taken from {@code JHTTPD_*} environment variables and a
 * {@code --config} file. Prints one line with the URL it serves, then serves until Ctrl-C or SIGTERM,
 * when a shutdown hook closes the server gracefully (in-flight requests finish within
 * {@code --shutdown-grace}).
 *
 * <p>Exit codes: 128 + the signal's number after a stop by a signal (143 for SIGTERM, 130 for Ctrl-C);
 * 0 after {@code --help} or {@code --version}; 1 when the server cannot start (port in use, unknown
 * host, a store whose database cannot be reached), with one line on stderr and no stack trace; 2 for a
 * bad command line, variable or config file, with what is wrong and the usage on stderr. {@code --print-config} prints
 * the settings in force, each with where it came from.
 */
public final class Main {

    private Main() {
    }

    /** Held here: java.util.logging keeps loggers weakly, and a collected one loses its level. */
    private static final Logger HIKARI_LOG = Logger.getLogger("com.zaxxer.hikari");

    /** One line per log record on stderr, its cause's stack trace after it (java.util.logging's format). */
    private static final String LOG_FORMAT = "%1$tF %1$tT jhttpd %4$s: %5$s%6$s%n";

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        // HikariCP narrates its pool's life at INFO; keep stderr for what needs a person (warnings up).
        HIKARI_LOG.setLevel(Level.WARNING);
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the command line with the settings {@code environment} gives; blocks while serving. Returns the
     * exit code.
     */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err)
            throws InterruptedException {
        Options options;
        try {
            options = Options.parse(Path.of(""), environment, args);
        } catch (UsageException e) {
            err.println("jhttpd: " + e.getMessage());
            err.println();
            err.print(Options.USAGE);
            return 2;
        }
        switch (options.action()) {
            case HELP -> {
                out.print(Options.USAGE);
                return 0;
            }
            case VERSION -> {
                out.println("jhttpd " + version());
                return 0;
            }
            case PRINT_CONFIG -> {
                options.configuration().warnings().forEach(warning -> err.println("jhttpd: " + warning));
                out.print(options.configuration().describe());
                return 0;
            }
            case SERVE -> {
                options.configuration().warnings().forEach(warning -> err.println("jhttpd: " + warning));
                DataStore store = openStore(options, err);
                if (store == null) {
                    return 1;
                }
                RunningApp app = start(options, store, out, err);
                if (app == null) {
                    store.close();
                    return 1;
                }
                // The store closes after the app: in-flight requests finish their writes first, and the
                // access log writes out its last lines before the JVM exits.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    app.close();
                    store.close();
                }, "jhttpd-shutdown"));
                app.awaitTermination();
                return 0;
            }
        }
        throw new AssertionError(options.action());
    }

    /** Opens {@code --store}; null (after one line on {@code err}) when its database cannot be reached. */
    static DataStore openStore(Options options, PrintStream err) {
        try {
            return options.store().open();
        } catch (StoreUnavailableException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            err.println("jhttpd: cannot open the store " + options.store() + ": " + firstLine(cause.getMessage()));
            return null;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /**
     * Starts the app and prints its URL (and the admin port's); null (after one line on {@code err}) when it
     * cannot listen or cannot open its access log.
     */
    static RunningApp start(Options options, DataStore store, PrintStream out, PrintStream err) {
        String where = (options.host().contains(":") ? "[" + options.host() + "]" : options.host()) + ":" + options.port();
        try {
            RunningApp app = App.start(options, options.ops(), store, out);
            out.println("jhttpd " + version() + " serving http://" + displayHost(options.host()) + ":" + app.port()
                    + "/" + (options.host().equals(Options.DEFAULT_HOST) ? " (all interfaces)" : ""));
            String adminHost = options.ops().adminHost() == null ? options.host() : options.ops().adminHost();
            app.adminServer().ifPresent(admin -> out.println("jhttpd: /health, /ready and /metrics on http://"
                    + displayHost(adminHost) + ":" + admin.port() + "/"));
            return app;
        } catch (BindException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            err.println("jhttpd: cannot listen on " + (message.startsWith("admin port ")
                    ? message.toLowerCase(java.util.Locale.ROOT) : where + ": " + reason(e, "address already in use")));
        } catch (UnresolvedAddressException e) {
            err.println("jhttpd: cannot listen on " + where + ": unknown host");
        } catch (App.AccessLogUnavailable e) {
            err.println("jhttpd: " + e.getMessage());
        } catch (IOException e) {
            err.println("jhttpd: cannot listen on " + where + ": " + reason(e, e.getClass().getSimpleName()));
        }
        return null;
    }

    private static String displayHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "localhost";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static String reason(IOException e, String fallback) {
        return e.getMessage() == null ? fallback : e.getMessage().toLowerCase(java.util.Locale.ROOT);
    }

    /** The version from the jar's manifest, or "dev" when run from classes. */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
