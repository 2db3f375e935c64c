package io.jhttpd.app.ops;

import io.jhttpd.filters.AccessLogFilter;
import io.jhttpd.filters.AsyncLogWriter;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the server reports on itself: the access log's format and destination, and where the operator
 * endpoints ({@code /health}, {@code /ready}, {@code /metrics}) are served, if at all. Immutable; the
 * command line (or environment, or a config file) fills one in and hands it to
 * {@code App.start(options, ops, store, out)}.
 *
 * <table>
 *   <caption>Settings, their defaults, and what they allow</caption>
 *   <tr><th>component</th><th>default</th><th>allowed</th></tr>
 *   <tr><td>accessLogFormat</td><td>COMMON</td><td>COMMON, COMBINED, JSON ({@link AccessLogFilter.Format})</td></tr>
 *   <tr><td>accessLogFile</td><td>null: the output the app was given (stdout)</td><td>a file, appended to
 *       and created if absent</td></tr>
 *   <tr><td>accessLogBuffer</td><td>8192 lines</td><td>1 and up; lines past it are dropped and counted</td></tr>
 *   <tr><td>opsEndpoints</td><td>true</td><td>false: no /health, /ready or /metrics anywhere, no metrics
 *       kept</td></tr>
 *   <tr><td>adminHost</td><td>null: the API's host</td><td>an address to bind the admin port to</td></tr>
 *   <tr><td>adminPort</td><td>{@value #SAME_PORT}: on the API's port</td><td>{@value #SAME_PORT}, or
 *       0..65535 (0 picks a free port); then the endpoints answer only there</td></tr>
 * </table>
 *
 * <p>{@code --quiet} (an {@code Options} flag) still turns the access log off whatever these say.
 *
 * <pre>{@code
 * OpsSettings ops = OpsSettings.defaults().withAccessLogFormat(AccessLogFilter.Format.JSON).withAdminPort(9090);
 * }</pre>
 *
 * @param accessLogFormat the shape of each access log line
 * @param accessLogFile   where the access log goes; null for the app's output stream
 * @param accessLogBuffer lines the access log queue holds while its writer catches up
 * @param opsEndpoints    whether {@code /health}, {@code /ready} and {@code /metrics} exist
 * @param adminHost       the address of the admin port; null for the API's
 * @param adminPort       {@link #SAME_PORT} to serve the endpoints with the API, else their own port
 */
public record OpsSettings(AccessLogFilter.Format accessLogFormat, Path accessLogFile, int accessLogBuffer,
                          boolean opsEndpoints, String adminHost, int adminPort) {

    /** The endpoints share the API's port. */
    public static final int SAME_PORT = -1;

    public OpsSettings {
        Objects.requireNonNull(accessLogFormat, "accessLogFormat");
        if (accessLogBuffer < 1) {
            throw new IllegalArgumentException("the access log buffer must hold at least 1 line, was " + accessLogBuffer);
        }
        if (adminPort < SAME_PORT || adminPort > 65_535) {
            throw new IllegalArgumentException("the admin port must be 0..65535 (or -1 for the API's port), was "
                    + adminPort);
        }
        if (!opsEndpoints && adminPort != SAME_PORT) {
            throw new IllegalArgumentException("an admin port serves the ops endpoints, which are turned off");
        }
    }

    public static OpsSettings defaults() {
        return new OpsSettings(AccessLogFilter.Format.COMMON, null, AsyncLogWriter.DEFAULT_CAPACITY, true, null,
                SAME_PORT);
    }

    /** Whether the endpoints have a port of their own. */
    public boolean separateAdminPort() {
        return opsEndpoints && adminPort != SAME_PORT;
    }

    public OpsSettings withAccessLogFormat(AccessLogFilter.Format format) {
        return new OpsSettings(format, accessLogFile, accessLogBuffer, opsEndpoints, adminHost, adminPort);
    }

    public OpsSettings withAccessLogFile(Path file) {
        return new OpsSettings(accessLogFormat, file, accessLogBuffer, opsEndpoints, adminHost, adminPort);
    }

    public OpsSettings withAccessLogBuffer(int lines) {
        return new OpsSettings(accessLogFormat, accessLogFile, lines, opsEndpoints, adminHost, adminPort);
    }

    public OpsSettings withOpsEndpoints(boolean enabled) {
        return new OpsSettings(accessLogFormat, accessLogFile, accessLogBuffer, enabled, adminHost, adminPort);
    }

    public OpsSettings withAdminHost(String host) {
        return new OpsSettings(accessLogFormat, accessLogFile, accessLogBuffer, opsEndpoints, host, adminPort);
    }

    public OpsSettings withAdminPort(int port) {
        return new OpsSettings(accessLogFormat, accessLogFile, accessLogBuffer, opsEndpoints, adminHost, port);
    }
}
