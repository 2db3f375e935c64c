package io.jhttpd.server;

import java.util.concurrent.ThreadFactory;

/**
 * Scheduling on jhttpd's own carriers ({@link CarrierPool}): a thread is started where it is needed,
 * and a connection always yields before it reads, since a yield goes to the back of the one queue,
 * behind whatever else became runnable meanwhile: under load the next request has usually arrived by
 * the time the connection runs again, and the read takes it without a wait for the poller.
 * One yield, however long the queue: a read that finds nothing waits for the carriers' epoll, which a
 * busy carrier polls every few turns ({@link CarrierPool#LANE_DISTANCE}; on the JDK's poller, for the
 * poller's helper, whose lane comes as often), then for a pass. A connection
 * whose requests are always already there yields every {@link Scheduling#LONGEST_RUN} requests.
 */
final class OwnCarriers implements Scheduling {

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
    public boolean yieldBeforeRead(long now) {
        return true;
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

    @Override
    public ReadinessPoller poller() {
        return CarrierPool.poller();
    }
}
