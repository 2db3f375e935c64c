package io.jhttpd.wire;

import io.jhttpd.Limits;
import io.jhttpd.http.Status;

/**
 * How long the next socket read of a request body may wait. Two rules hold together: no single read
 * waits longer than {@link Limits#bodyTimeout()}, and, when {@link Limits#minBodyRate()} is set, the
 * time the body has kept the server waiting in all stays within {@code bodyTimeout} plus one second
 * for every {@code minBodyRate} bytes that arrived. So a client that sends a byte just before each
 * read would time out is cut off once it has used up the allowance, instead of holding the
 * connection for as long as its declared body lasts; a client that sends faster than the rate never
 * meets the second rule. Only time spent in reads counts: a handler that is slow to read costs the
 * client nothing.
 *
 * <p>One per connection, reset for each request; used by the connection's thread only.
 */
final class BodyPace {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Bytes beyond this earn nothing more: at one byte a second they earn a quarter of a long's nanos. */
    private static final long EARNING_CAP_BYTES = Long.MAX_VALUE / 4 / NANOS_PER_SECOND;

    private final long bodyTimeoutNanos;
    private final long minBytesPerSecond;
    private long waitedNanos;
    private long bytes;
    /** Whether the wait last handed out was the allowance's rather than the per-read timeout's. */
    private boolean allowanceBound;

    BodyPace(Limits limits) {
        this.bodyTimeoutNanos = limits.bodyTimeout().toNanos();
        this.minBytesPerSecond = limits.minBodyRate();
    }

    /** A new body begins: nothing waited, nothing received. */
    void reset() {
        waitedNanos = 0;
        bytes = 0;
    }

    /** The longest the next read may wait, in milliseconds (at least 1). */
    long nextWaitMillis() {
        long wait = bodyTimeoutNanos;
        allowanceBound = false;
        if (minBytesPerSecond > 0) {
            long allowance = bodyTimeoutNanos + earnedNanos() - waitedNanos;
            if (allowance < wait) {
                wait = allowance;
                allowanceBound = true;
            }
        }
        return Math.max(1, (wait + 999_999) / 1_000_000);
    }

    /** Records a read that waited {@code nanos} and brought {@code received} bytes (0 or less: none). */
    void waited(long nanos, int received) {
        waitedNanos += nanos;
        if (received > 0) {
            bytes += received;
        }
    }

    /** The answer to a read that timed out: 408, saying which rule it broke. */
    HttpParseException timedOut() {
        return new HttpParseException(Status.REQUEST_TIMEOUT_408,
                allowanceBound ? "Request body arrived too slowly" : "Request body timeout");
    }

    /** The time {@code bytes} earned, at most a quarter of a long (so that the sum cannot wrap). */
    private long earnedNanos() {
        long counted = Math.min(bytes, EARNING_CAP_BYTES);
        return counted * NANOS_PER_SECOND / minBytesPerSecond;
    }
}
