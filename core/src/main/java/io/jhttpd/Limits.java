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
 *   <tr><td>minBodyRate (the waits for a body add up to at most bodyTimeout plus one second per
 *       minBodyRate bytes received)</td><td>256 bytes/s</td><td>408 + close</td></tr>
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
 *
 * @param maxRequestLineBytes      the longest request line, with any empty lines before it (414)
 * @param maxFieldLineBytes        the longest single header field line (431)
 * @param maxHeaderBytes           the most bytes of all header field lines together (431)
 * @param maxHeaderCount           the most header field lines (431)
 * @param maxBodyBytes             the largest request body, declared or chunked (413)
 * @param maxTrailerBytes          the largest trailer section of a chunked body (431)
 * @param headerTimeout            how long a head may take to arrive once its first byte has (408)
 * @param bodyTimeout              how long a body read may wait for bytes (408)
 * @param idleTimeout              how long a kept-alive connection may wait for its next request
 * @param writeTimeout             how long a write may block on a client that does not read
 * @param maxRequestsPerConnection the most requests served on one connection before it is closed
 * @param maxConnections           the most connections open at once (503 for the next)
 * @param maxDrainBytes            the most bytes of a body the handler left unread that are read and
 *                                 dropped to keep the connection; 0 closes it instead
 * @param minBodyRate              bytes per second a body must keep up once it has kept the server waiting
 *                                 longer than {@code bodyTimeout} in all: the waits for a body may add up
 *                                 to {@code bodyTimeout} plus one second per {@code minBodyRate} bytes
 *                                 received (408); 0 leaves only the per-read {@code bodyTimeout}
 */
public record Limits(int maxRequestLineBytes, int maxFieldLineBytes, int maxHeaderBytes, int maxHeaderCount,
                     long maxBodyBytes, int maxTrailerBytes, Duration headerTimeout, Duration bodyTimeout,
                     Duration idleTimeout, Duration writeTimeout, int maxRequestsPerConnection,
                     int maxConnections, long maxDrainBytes, long minBodyRate) {

    /** The longest timeout kept as given, about 73 years; a longer one is cut to it ("never", in effect). */
    public static final Duration LONGEST_TIMEOUT = Duration.ofNanos(Long.MAX_VALUE / 4);

    /**
     * Checks every bound; {@link #defaults()} and the {@code with} methods are the usual way to make one.
     * A timeout longer than {@link #LONGEST_TIMEOUT} is cut to it.
     *
     * @throws IllegalArgumentException when a size or count is not positive, {@code maxDrainBytes} or
     *                                  {@code minBodyRate} is negative, or a timeout is zero or negative
     */
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
        if (minBodyRate < 0) {
            throw new IllegalArgumentException("minBodyRate must not be negative");
        }
        for (Duration d : new Duration[] {headerTimeout, bodyTimeout, idleTimeout, writeTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
        headerTimeout = atMostLongest(headerTimeout);
        bodyTimeout = atMostLongest(bodyTimeout);
        idleTimeout = atMostLongest(idleTimeout);
        writeTimeout = atMostLongest(writeTimeout);
    }

    /** The defaults in the table above: generous for real clients, tight enough for hostile ones. */
    public static Limits defaults() {
        return new Limits(8 * 1024, 8 * 1024, 16 * 1024, 100, 5L * 1024 * 1024, 8 * 1024,
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(75), Duration.ofSeconds(30),
                10_000, 10_000, 256 * 1024, 256);
    }

    /** These limits with another longest request line. */
    public Limits withMaxRequestLineBytes(int v) {
        return new Limits(v, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxTrailerBytes,
                headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another longest header field line. */
    public Limits withMaxFieldLineBytes(int v) {
        return new Limits(maxRequestLineBytes, v, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxTrailerBytes,
                headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another size for all header field lines together. */
    public Limits withMaxHeaderBytes(int v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, v, maxHeaderCount, maxBodyBytes, maxTrailerBytes,
                headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another most header field lines. */
    public Limits withMaxHeaderCount(int v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, v, maxBodyBytes, maxTrailerBytes,
                headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another largest request body. */
    public Limits withMaxBodyBytes(long v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, v, maxTrailerBytes,
                headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another time for a head to arrive. */
    public Limits withHeaderTimeout(Duration v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, v, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another wait for each body read. */
    public Limits withBodyTimeout(Duration v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, v, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another keep-alive idle time. */
    public Limits withIdleTimeout(Duration v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, bodyTimeout, v, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another time a write may block. */
    public Limits withWriteTimeout(Duration v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, bodyTimeout, idleTimeout, v, maxRequestsPerConnection, maxConnections,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another most requests per connection. */
    public Limits withMaxRequestsPerConnection(int v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, bodyTimeout, idleTimeout, writeTimeout, v, maxConnections,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another most open connections. */
    public Limits withMaxConnections(int v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, v,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another largest trailer section. */
    public Limits withMaxTrailerBytes(int v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, v,
                headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection, maxConnections,
                maxDrainBytes, minBodyRate);
    }

    /** These limits with another most bytes of an unread body dropped to keep the connection (0: close). */
    public Limits withMaxDrainBytes(long v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection,
                maxConnections, v, minBodyRate);
    }

    /** These limits with another least body rate (bytes per second; 0 for none). */
    public Limits withMinBodyRate(long v) {
        return new Limits(maxRequestLineBytes, maxFieldLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes,
                maxTrailerBytes, headerTimeout, bodyTimeout, idleTimeout, writeTimeout, maxRequestsPerConnection,
                maxConnections, maxDrainBytes, v);
    }

    /**
     * A timeout longer than {@link #LONGEST_TIMEOUT} (such as {@code ChronoUnit.FOREVER}'s duration)
     * is that long: deadlines are sums of nanoseconds, which must not wrap.
     */
    private static Duration atMostLongest(Duration timeout) {
        return timeout.compareTo(LONGEST_TIMEOUT) > 0 ? LONGEST_TIMEOUT : timeout;
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
