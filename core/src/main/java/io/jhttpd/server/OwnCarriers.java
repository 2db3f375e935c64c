package io.jhttpd.server;

import java.util.concurrent.ThreadFactory;

/**
 * Scheduling on jhttpd's own carriers ({@link CarrierPool}): a thread is started where it is needed,
 * and a connection always yields before it reads, since a yield goes to the back of the one queue,
 * behind whatever else became runnable meanwhile: under load the next request has usually arrived by
 * the time the connection runs again, and the read takes it without a trip through the JDK's poller.
 * When the queue is long it yields a few more times while nothing has arrived ({@link #LONG_QUEUE});
 * a connection whose requests are always already there yields every {@link Scheduling#LONGEST_RUN}
 * requests.
 */
final class OwnCarriers implements Scheduling {

    /**
     * A queue longer than this makes a pass through it long (about 0.8 ms at 6 us per request): then a
     * read that finds nothing costs two such passes (the JDK poller's helper waits its turn, then the
     * woken connection does), and a connection yields again instead while nothing has arrived.
     * Measured at 512 connections (BENCHMARKS.md, "Own carriers"): p99 4.4-8.0 ms against 10.8-13.4,
     * for 0-3% more CPU (the {@code available()} call after the first yield); at 64 connections the queue
     * stays short and nothing changes.
     */
    static final int LONG_QUEUE = 128;
    /** The first yield and up to four more while no byte has arrived. */
    static final int YIELDS_IN_A_LONG_QUEUE = 5;

    private final ThreadFactory connections;

    /** {@code builder}: one of {@link CarrierPool#newBuilder()}'s, for this scheduling's own use. */
    OwnCarriers(Thread.Builder.OfVirtual builder) {
        this.connections = builder.name("jhttpd-conn-", 0).factory();
    }

    @Override
    public Thread unstarted(String name, Runnable task) {
        Thread.Builder.OfVirtual builder = CarrierPool.newBuilder();
        if (builder == null) {
            throw new IllegalStateException("the own carriers are gone"); // they never go, once made
        }
        return builder.name(name).unstarted(task);
    }

    @Override
    public void spawn(Runnable work, Runnable ifNotStarted) {
        try {
            start(work);
        } catch (RuntimeException e) {
            ifNotStarted.run();
        }
    }

    @Override
    public void start(Runnable work) {
        connections.newThread(work).start();
    }

    @Override
    public void betweenRequests(long now) {
    }

    @Override
    public int yieldsBeforeRead(long now) {
        return yieldsFor(CarrierPool.backlog());
    }

    /** How often to yield before a read when {@code backlog} threads wait for a carrier. */
    static int yieldsFor(int backlog) {
        return backlog > LONG_QUEUE ? YIELDS_IN_A_LONG_QUEUE : 1;
    }

    @Override
    public boolean turnDue(int run) {
        return run >= LONGEST_RUN;
    }

    /** A yield: to the back of the queue, behind everything that became runnable meanwhile. */
    @Override
    public void stepAside() {
        Thread.yield();
    }

    @Override
    public void stop() {
    }
}
