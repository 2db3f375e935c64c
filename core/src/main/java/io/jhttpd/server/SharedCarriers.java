package io.jhttpd.server;

/**
 * Scheduling on the JDK's scheduler, which reads its queue of outside submissions (new threads, and
 * wake-ups by platform threads, the JDK poller's among them) only when a carrier's own queue is empty.
 * Three measures keep that fair (ARCHITECTURE.md, "Scheduling"): new connections are handed to spare
 * threads ({@link Spawner}), busy connections step aside now and then for the outside queue
 * ({@link OutsideTurn}), and they yield before a read only while the {@link YieldGate} is open.
 */
final class SharedCarriers implements Scheduling {

    private final Spawner spawner;
    private final OutsideTurn outsideTurn;

    private SharedCarriers(Spawner spawner, OutsideTurn outsideTurn) {
        this.spawner = spawner;
        this.outsideTurn = outsideTurn;
    }

    static SharedCarriers create() {
        OutsideTurn outsideTurn = new OutsideTurn(Thread.ofVirtual().name("jhttpd-turn").factory());
        return new SharedCarriers(new Spawner(Thread.ofVirtual().name("jhttpd-conn-", 0).factory(), outsideTurn),
                outsideTurn);
    }

    @Override
    public Thread unstarted(String name, Runnable task) {
        return Thread.ofVirtual().name(name).unstarted(task);
    }

    @Override
    public void spawn(Runnable work, Runnable ifNotStarted) {
        spawner.spawn(work, ifNotStarted);
    }

    @Override
    public void start(Runnable work) {
        spawner.start(work);
    }

    @Override
    public void betweenRequests(long now) {
        // Start what the accept loop queued, and ask for the outside queue's turn when it is time.
        spawner.startPending();
        outsideTurn.tick(now);
    }

    @Override
    public boolean yieldBeforeRead(long now) {
        return YieldGate.open(now);
    }

    @Override
    public boolean turnDue(int run) {
        if ((run & (LONGEST_RUN - 1)) == LONGEST_RUN - 1) {
            betweenRequests(System.nanoTime()); // a connection that never waits must ask for turns too
        }
        return outsideTurn.due();
    }

    @Override
    public void stepAside() {
        outsideTurn.stepAside();
    }

    @Override
    public void stop() {
        spawner.stop();
    }
}
