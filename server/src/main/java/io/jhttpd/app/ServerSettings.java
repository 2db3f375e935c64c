package io.jhttpd.app;

import io.jhttpd.app.config.InvalidValue;
import io.jhttpd.app.config.Setting;
import io.jhttpd.app.config.Values;
import io.jhttpd.app.store.StoreSpec;
import io.jhttpd.filters.AccessLogFilter;
import io.jhttpd.filters.AsyncLogWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Every setting of the server, with its flag, variable, default and help: the one table that the
 * usage, {@code --print-config}, the config file and the README's configuration table all follow.
 */
final class ServerSettings {

    static final Setting<Integer> PORT = Setting.value("port", "N",
            "port to listen on, 0..65535 (default 8080; 0 picks a free port)", Values::port, dir -> 8080);
    static final Setting<String> HOST = Setting.value("host", "ADDR",
            "address to bind (default 0.0.0.0, every interface)", Values::host, dir -> "0.0.0.0");
    static final Setting<Path> DIRECTORY = Setting.value("directory", "DIR",
            "serve and accept files under /files/{name} from DIR (default: none, /files answers 404)",
            Values::directory, dir -> null);
    static final Setting<Path> STATIC = Setting.value("static", "DIR",
            "serve DIR under /static/ (default ./static when it exists)", Values::directory,
            dir -> Files.isDirectory(dir.resolve("static")) ? dir.resolve("static") : null);
    static final Setting<Long> MAX_BODY = Setting.value("max-body", "SIZE",
            "largest request body: 1048576, 512KB, 5MB or 1GB (default 5MB; K/M/G = 1024)", Values::size,
            dir -> 5L * 1024 * 1024).displayedAs(Values::showSize);
    static final Setting<Integer> MAX_CONNECTIONS = Setting.value("max-connections", "N",
            "at most N open connections, 1..1000000 (default 10000);\npast it a new connection gets 503 and is closed",
            Values.wholeNumber(1, 1_000_000), dir -> 10_000);
    static final Setting<Integer> SHUTDOWN_GRACE = Setting.value("shutdown-grace", "SECONDS",
            "on SIGTERM or Ctrl-C, how long requests in flight may run on, 0..3600\n(default 30); connections still busy then are closed",
            Values.wholeNumber(0, 3600), dir -> 30);
    static final Setting<String> CORS_ORIGIN = Setting.value("cors-origin", "O",
            "Access-Control-Allow-Origin for every response (default *)", Values::origin, dir -> "*");
    static final Setting<StoreSpec> STORE = Setting.value("store", "STORE", """
            where /data keeps its items (default memory):
              memory                 in this process, gone when it stops
              sqlite:PATH            a SQLite database file, created when absent
              postgresql://HOST[:PORT]/DB?user=USER&password=PASSWORD
                                     PostgreSQL, shareable by several instances""".stripIndent(),
            ServerSettings::store, dir -> new StoreSpec.Memory()).secretValue();
    static final Setting<Boolean> QUIET = Setting.toggle("quiet", "no access log at all");
    static final Setting<AccessLogFilter.Format> ACCESS_LOG_FORMAT = Setting.value("access-log-format", "F",
            "common (the default: Common Log Format + duration), combined (+ Referer\nand User-Agent) or json (one object a line)",
            Values.oneOf(AccessLogFilter.Format.class), dir -> AccessLogFilter.Format.COMMON)
            .displayedAs(format -> format.name().toLowerCase(Locale.ROOT));
    static final Setting<Path> ACCESS_LOG = Setting.value("access-log", "FILE",
            "append the access log to FILE, created when absent (default: stdout)",
            Values::fileInExistingDirectory, dir -> null);
    static final Setting<Integer> ACCESS_LOG_BUFFER = Setting.value("access-log-buffer", "N",
            "lines the access log holds while its writer catches up, 1..1000000\n(default 8192); lines past it are dropped and counted",
            Values.wholeNumber(1, 1_000_000), dir -> AsyncLogWriter.DEFAULT_CAPACITY);
    static final Setting<Integer> ADMIN_PORT = Setting.value("admin-port", "N",
            "serve /health, /ready and /metrics only on this port, 0..65535\n(default: on the API's port)",
            Values::port, dir -> null);
    static final Setting<String> ADMIN_HOST = Setting.value("admin-host", "ADDR",
            "address to bind the admin port to (default: the --host address)", Values::host, dir -> null);
    static final Setting<Boolean> NO_OPS_ENDPOINTS = Setting.toggle("no-ops-endpoints",
            "no /health, /ready or /metrics, and no metrics kept");
    /**
     * Not in the usage: commits every SQLite write on its own (one fsync each) instead of grouping
     * concurrent writes. It only exists so that bench/stores/run can show what group commit buys.
     */
    static final Setting<Boolean> NO_GROUP_COMMIT = Setting.toggle("no-group-commit", "").hiddenFlag();

    static final List<Setting<?>> ALL = List.of(PORT, HOST, DIRECTORY, STATIC, MAX_BODY, MAX_CONNECTIONS,
            SHUTDOWN_GRACE, CORS_ORIGIN, STORE, QUIET, ACCESS_LOG_FORMAT, ACCESS_LOG, ACCESS_LOG_BUFFER, ADMIN_PORT, ADMIN_HOST,
            NO_OPS_ENDPOINTS, NO_GROUP_COMMIT);

    private static final int HELP_COLUMN = 21;

    private ServerSettings() {
    }

    private static StoreSpec store(String text) throws InvalidValue {
        try {
            return StoreSpec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValue(Setting.printable(e.getMessage()));
        }
    }

    /** The usage text: every setting's flag and help, then the other ways to give them. */
    static String usage() {
        StringBuilder out = new StringBuilder("""
                Usage: jhttpd [options]
                       jhttpd PORT [options]

                Options:
                """);
        for (Setting<?> setting : ALL) {
            if (!setting.hidden()) {
                option(out, setting.flag() + (setting.isSwitch() ? "" : " " + setting.valueHint()), setting.help());
            }
        }
        option(out, "--config FILE", "read settings from FILE, one 'name = value' a line (names as the\n"
                + "options without --, e.g. max-body = 10MB; # starts a comment)");
        option(out, "--print-config", "print the settings in force and where each came from, then exit");
        option(out, "--help", "print this help");
        option(out, "--version", "print the version");
        out.append("""

                Every option can also come from an environment variable: JHTTPD_ and its name in capitals,
                dashes as underscores (JHTTPD_PORT=9000, JHTTPD_MAX_BODY=10MB, JHTTPD_QUIET=true,
                JHTTPD_CONFIG=FILE). A flag wins over the environment, which wins over the config file.
                """);
        return out.toString();
    }

    private static void option(StringBuilder out, String left, String help) {
        String head = "  " + left;
        String[] lines = help.split("\n");
        out.append(head);
        if (head.length() >= HELP_COLUMN - 1) {
            out.append("  ");
        } else {
            out.append(" ".repeat(HELP_COLUMN - head.length()));
        }
        out.append(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            out.append(" ".repeat(HELP_COLUMN)).append(lines[i]).append('\n');
        }
    }
}
