package io.jhttpd.server;

/**
 * Whether a connection should yield its carrier before it waits for the next request.
 *
 * <p>Yielding lets the other connections' threads run first: under load the next request has usually
 * arrived by the time they are done, and the read then takes it without parking on the JDK's poller
 * (an {@code epoll_ctl}, a park and an unpark). Measured with wrk -c64 on one core: 11% less CPU per
 * plaintext request, 10% per pipelined batch; with nothing else to run it costs one trip through the
 * scheduler. More than one yield, or checking {@code available()} between yields, measured worse.
 *
 * <p>But a yielding thread goes back into its carrier's own queue, and a carrier reads the
 * scheduler's outside queue only once its own is empty. Where the JDK's poller wakes its helper
 * through that outside queue, connections that did have to wait on the poller could wait behind
 * yielding ones for as long as the load lasted (p99 of 96-243 ms in some runs against 1-5 ms in
 * others; with the gate, at most 15 ms in nine runs at 64 and 512 connections). So the gate is shut for {@value #SHUT_NANOS} ns of every {@value #PERIOD_NANOS} ns: no
 * connection yields then, the carrier's queue drains, and whatever waits outside gets its turn. No
 * state, no contention: the clock alone decides, alike for every connection.
 */
final class YieldGate {

    /** About 4.2 ms: a power of two, so that the phase is a mask of the clock. */
    static final long PERIOD_NANOS = 1L << 22;
    /** About 1 ms, enough for a carrier to run through a queue of hundreds of connections. */
    static final long SHUT_NANOS = 1L << 20;

    private YieldGate() {
    }

    /** Whether to yield now; {@code now} is {@code System.nanoTime()}. */
    static boolean open(long now) {
        return (now & (PERIOD_NANOS - 1)) >= SHUT_NANOS;
    }
}
