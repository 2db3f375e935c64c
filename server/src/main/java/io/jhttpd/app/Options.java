package io.jhttpd.app;

import io.jhttpd.app.config.Configuration;
import io.jhttpd.app.config.UsageException;
import io.jhttpd.app.ops.OpsSettings;
import io.jhttpd.app.store.StoreSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The server's settings, resolved and checked, with nothing started yet: from the command line, the
 * environment ({@code JHTTPD_PORT}, ...) and the config file, in that order of precedence (see
 * {@link ServerSettings} for the table and {@link Configuration} for the rules). {@code --store} is
 * checked here and opened by {@link Main}.
 *
 * <pre>{@code
 * Options options = Options.parse("--port", "9000", "--directory", "/srv/files");
 * Options fromEverywhere = Options.parse(Path.of(""), System.getenv(), args);
 * }</pre>
 *
 * @param action         what to do: serve, or print help, the version or the settings
 * @param host           the address to bind ({@code 0.0.0.0}: every interface)
 * @param port           0..65535; 0 picks a free port
 * @param directory      the directory behind {@code /files}, or null when not given
 * @param staticDir      the directory behind {@code /static}, or null for none
 * @param maxBodyBytes   the request body limit (413 above it)
 * @param maxConnections the open-connection cap (a newcomer past it gets 503 and is closed)
 * @param shutdownGrace  how long a graceful stop lets requests in flight run on
 * @param corsOrigin     the value of {@code Access-Control-Allow-Origin}
 * @param quiet          no access log at all
 * @param store          where {@code /data} keeps its items
 * @param ops            the access log's format and file, and where {@code /health}, {@code /ready} and
 *                       {@code /metrics} are served
 * @param configuration  every setting's value and where it came from, for {@code --print-config}
 */
public record Options(Action action, String host, int port, Path directory, Path staticDir, long maxBodyBytes,
                      int maxConnections, Duration shutdownGrace, String corsOrigin, boolean quiet, StoreSpec store, OpsSettings ops,
                      Configuration configuration) {

    public enum Action { SERVE, HELP, VERSION, PRINT_CONFIG }

    public static final String DEFAULT_HOST = "0.0.0.0";

    /** What {@code --help} prints. */
    public static final String USAGE = ServerSettings.usage();

    /** The command line alone (no environment), {@code ./static} looked for in the current directory. */
    public static Options parse(String... args) throws UsageException {
        return parse(Path.of(""), Map.of(), args);
    }

    /** The command line alone (no environment); {@code workingDir} is where {@code static} is looked for. */
    public static Options parse(Path workingDir, String... args) throws UsageException {
        return parse(workingDir, Map.of(), args);
    }

    /**
     * Resolves every setting from {@code args}, then {@code environment}, then the config file either
     * names, then the defaults.
     *
     * @throws UsageException for an unknown flag, a missing or bad value anywhere (the message names the
     *                        setting as given, the value and what is allowed), a flag given twice, or a
     *                        config file that cannot be read
     */
    public static Options parse(Path workingDir, Map<String, String> environment, String... args)
            throws UsageException {
        List<String> flags = new ArrayList<>(Arrays.asList(args));
        if (flags.contains("--help") || flags.contains("-h")) {
            return resolve(Action.HELP, workingDir, Map.of(), List.of());
        }
        if (flags.contains("--version") || flags.contains("-V")) {
            return resolve(Action.VERSION, workingDir, Map.of(), List.of());
        }
        Action action = flags.remove("--print-config") ? Action.PRINT_CONFIG : Action.SERVE;
        if (!flags.isEmpty() && !flags.get(0).startsWith("-")) {
            flags.add(0, "--port"); // "jhttpd 9000 --quiet": a first argument that is no option is the port
        }
        return resolve(action, workingDir, environment, flags);
    }

    private static Options resolve(Action action, Path workingDir, Map<String, String> environment,
                                   List<String> flags) throws UsageException {
        Configuration c = Configuration.resolve(ServerSettings.ALL, workingDir, environment, flags);
        StoreSpec store = c.get(ServerSettings.STORE);
        if (c.get(ServerSettings.NO_GROUP_COMMIT)) {
            if (!(store instanceof StoreSpec.Sqlite sqlite)) {
                throw new UsageException(ServerSettings.NO_GROUP_COMMIT.flag() + " applies only to --store sqlite:PATH");
            }
            store = new StoreSpec.Sqlite(sqlite.file(), false);
        }
        return new Options(action, c.get(ServerSettings.HOST), c.get(ServerSettings.PORT),
                c.get(ServerSettings.DIRECTORY), c.get(ServerSettings.STATIC), c.get(ServerSettings.MAX_BODY),
                c.get(ServerSettings.MAX_CONNECTIONS), Duration.ofSeconds(c.get(ServerSettings.SHUTDOWN_GRACE)),
                c.get(ServerSettings.CORS_ORIGIN), c.get(ServerSettings.QUIET),
                store, ops(c), c);
    }

    private static OpsSettings ops(Configuration c) throws UsageException {
        boolean endpoints = !c.get(ServerSettings.NO_OPS_ENDPOINTS);
        Integer adminPort = c.get(ServerSettings.ADMIN_PORT);
        if (!endpoints && adminPort != null) {
            throw new UsageException(ServerSettings.ADMIN_PORT.flag() + " serves the endpoints that "
                    + ServerSettings.NO_OPS_ENDPOINTS.flag() + " turns off; give one or the other");
        }
        if (c.get(ServerSettings.ADMIN_HOST) != null && adminPort == null) {
            throw new UsageException(ServerSettings.ADMIN_HOST.flag() + " needs " + ServerSettings.ADMIN_PORT.flag());
        }
        return new OpsSettings(c.get(ServerSettings.ACCESS_LOG_FORMAT), c.get(ServerSettings.ACCESS_LOG),
                c.get(ServerSettings.ACCESS_LOG_BUFFER), endpoints, c.get(ServerSettings.ADMIN_HOST),
                adminPort == null ? OpsSettings.SAME_PORT : adminPort);
    }
}
