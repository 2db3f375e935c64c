package io.jhttpd.server;

import java.util.concurrent.ThreadFactory;

/**
 * Scheduling on jhttpd's own carriers ({@link CarrierPool}): a thread is started where it is needed,
 * and a connection always yields before it reads, since a yield goes to the back of the one queue,
 * behind whatever else became runnable meanwhile: under load the next request has usually arrived by
 * the time the connection runs again, and the read takes it without a trip through the JDK's poller.
 */
final class OwnCarriers implements Scheduling {

    private final Thread.Builder.OfVirtual builder;
    private final ThreadFactory connections;

    OwnCarriers(Thread.Builder.OfVirtual builder) {
        this.builder = builder;
        this.connections = builder.name("jhttpd-conn-", 0).factory();
    }

    @Override
    public Thread.Builder.OfVirtual threads() {
        return builder.name("jhttpd");
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
    public boolean turnDue() {
        return false;
    }

    @Override
    public void stepAside() {
    }

    @Override
    public void stop() {
    }
}
