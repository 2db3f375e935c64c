package io.jhttpd;

import java.time.Duration;

/**
 * Every bound the server puts on a client, with the status a client gets for crossing it.
 *
 * <table>
 *   <caption>Limits, their defaults, and what crossing them gets</caption>
 *   <tr><th>component</th><th>default</th><th>on violation</th></tr>
 *   <tr><td>maxRequestLineBytes (leading empty lines included)</td><td>8 KiB</td><td>414 + close</td></tr>
 *   <tr><td>maxFieldLineBytes (one header line)</td><td>8 KiB</td><td>431 + close</td></tr>
 *   <tr><td>maxHeaderBytes (all header lines)</td><td>16 KiB</td><td>431 + close</td></tr>
 *   <tr><td>maxHeaderCount</td><td>100</td><td>431 + close</td></tr>
 *   <tr><td>maxBodyBytes (Content-Length checked before reading; chunked counted)</td><td>5 MiB</td>
 *       <td>413 + close</td></tr>
 *   <tr><td>maxTrailerBytes</td><td>8 KiB</td><td>431 + close</td></tr>
 *   <tr><td>headerTimeout (absolute, from the first byte of a request)</td><td>10 s</td>
 *       <td>408 + close</td></tr>
 *   <tr><td>bodyTimeout (between reads of a body)</td><td>30 s</td><td>408 + close</td></tr>
 *   <tr><td>idleTimeout (keep-alive, between requests)</td><td>75 s</td><td>silent close</td></tr>
 *   <tr><td>writeTimeout (client not reading)</td><td>30 s</td><td>close</td></tr>
 *   <tr><td>maxRequestsPerConnection</td><td>10 000</td><td>last response carries Connection: close</td></tr>
 *   <tr><td>maxConnections</td><td>10 000</td><td>503 + close for the new connection</td></tr>
 *   <tr><td>maxDrainBytes (an unread body discarded to keep the connection)</td><td>256 KiB</td>
 *       <td>close instead of draining</td></tr>
 * </table>
 *
 * <pre>{@code
 * Limits limits = Limits.defaults().withMaxBodyBytes(1 << 20).withIdleTimeout(Duration.ofSeconds(5));
 * }</pre>
 */
public record Limits(int maxRequestLineBytes, int maxFieldLineBytes, int maxHeaderBytes, int maxHeaderCount,
                     long maxBodyBytes, int maxTrailerBytes, Duration headerTimeout, Duration bodyTimeout,
                     Duration idleTimeout, Duration writeTimeout, int maxRequestsPerConnection,
                     int maxConnections, long maxDrainBytes) {

    public Limits {
        positive(maxRequestLineBytes, "maxRequestLineBytes");
        positive(maxFieldLineBytes, "maxFieldLineBytes");
        positive(maxHeaderBytes, "maxHeaderBytes");
        positive(maxHeaderCount, "maxHeaderCount");
        positive(maxBodyBytes, "maxBodyBytes");
        positive(maxTrailerBytes, "maxTrailerBytes");
        positive(maxRequestsPerConnection, "maxRequestsPerConnection");
        positive(maxConnections, "maxConnections");
        if (maxDrainBytes < 0) {
            throw new IllegalArgumentException("maxDrainBytes must not be negative");
        }
        for (Duration d : new Duration[] {headerTimeout, bodyTimeout, idleTimeout, writeTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    public static Limits defaults() {
        return new Limits(8 * 1024, 8 * 1024, 16 * 1024, 100, 5L * 1024 * 1024, 8 * 1024,
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(75), Duration.ofSeconds(30),
                10_000, 10_000, 256 * 1024);
    }

    public Limits withMaxRequestLineBytes(int v) {
        return new Limits(v, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxTrailerBytes,
                headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes);
    }

    public Limits withMaxFieldLineBytes(int v) {
        return new Limits(maxRequestLineBytes, v, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxTrailerBytes,
                headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes);
    }

    public Limits withMaxHeaderBytes(int v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, v, maxHeaderCount, maxBodyBytes, maxTrailerBytes,
                headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes);
    }

    public Limits withMaxHeaderCount(int v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, v, maxBodyBytes, maxTrailerBytes,
                headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes);
    }

    public Limits withMaxBodyBytes(long v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, v, maxTrailerBytes,
                headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes);
    }

    public Limits withHeaderTimeout(Duration v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, v, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes);
    }

    public Limits withBodyTimeout(Duration v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, v, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes);
    }

    public Limits withIdleTimeout(Duration v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, bodyTimeout, v, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes);
    }

    public Limits withWriteTimeout(Duration v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, bodyTimeout, idleTimeout, v, maxRequestsPerConnection, maxConnections,
                maxDrainBytes);
    }

    public Limits withMaxRequestsPerConnection(int v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, bodyTimeout, idleTimeout, writeTimeout, v, maxConnections,
                maxDrainBytes);
    }

    public Limits withMaxConnections(int v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, v,
                maxDrainBytes);
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
