package io.jhttpd.app;

import io.jhttpd.HttpServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;

/**
 * The command line: {@code java -jar jhttpd.jar [--port N] [--directory DIR] ...} (see
 * {@link Options#USAGE}). Prints one line with the URL it serves, then serves until Ctrl-C or SIGTERM,
 * when a shutdown hook closes the server gracefully (in-flight requests finish).
 *
 * <p>Exit codes: 0 after a clean stop, {@code --help} or {@code --version}; 1 when the server cannot
 * start (port in use, unknown host), with one line on stderr and no stack trace; 2 for a bad command
 * line, with what is wrong and the usage on stderr.
 */
public final class Main {

    private Main() {
    }

    /** One line per log record on stderr, its cause's stack trace after it (java.util.logging's format). */
    private static final String LOG_FORMAT = "%1$tF %1$tT jhttpd %4$s: %5$s%6$s%n";

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command line; blocks while serving. Returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
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
            case SERVE -> {
                HttpServer server = start(options, out, err);
                if (server == null) {
                    return 1;
                }
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jhttpd-shutdown"));
                server.awaitTermination();
                return 0;
            }
        }
        throw new AssertionError(options.action());
    }

    /** Starts the server and prints its URL; null (after one line on {@code err}) when it cannot listen. */
    static HttpServer start(Options options, PrintStream out, PrintStream err) {
        String where = (options.host().contains(":") ? "[" + options.host() + "]" : options.host()) + ":" + options.port();
        try {
            HttpServer server = App.start(options, out);
            out.println("jhttpd " + version() + " serving http://" + displayHost(options.host()) + ":" + server.port()
                    + "/" + (options.host().equals(Options.DEFAULT_HOST) ? " (all interfaces)" : ""));
            return server;
        } catch (BindException e) {
            err.println("jhttpd: cannot listen on " + where + ": " + reason(e, "address already in use"));
        } catch (UnresolvedAddressException e) {
            err.println("jhttpd: cannot listen on " + where + ": unknown host");
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
