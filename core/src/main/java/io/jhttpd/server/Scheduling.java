package io.jhttpd.server;

/**
 * How a server's virtual threads get their turns on a carrier, and what its connections do for that
 * between requests.
 *
 * <p>Two ways, chosen once per server ({@link #forNewServer}): {@link OwnCarriers}, jhttpd's own
 * first-in-first-out carriers ({@link CarrierPool}), where nothing needs doing; and
 * {@link SharedCarriers}, the JDK's scheduler with what it takes to serve fairly on it, for a JVM
 * that does not let jhttpd schedule virtual threads ({@link SchedulerAccess}). Measured on one core
 * (BENCHMARKS.md, "Own carriers"): the own carriers take 2-6% off the CPU per request side by side,
 * and the p99 latency of the full benchmark runs fell by 40-60% in most scenarios.
 */
sealed interface Scheduling permits OwnCarriers, SharedCarriers {

    /** The system property that picks the JDK's scheduler even where the own carriers are possible. */
    String PROPERTY = "jhttpd.scheduler";

    /**
     * The most requests a connection serves in a row before it lets the others run (a power of two): a
     * client that pipelines without pause keeps bytes buffered, so its connection would never wait for
     * bytes, never yield, and keep its carrier for as long as the client goes on. 64 pipelined requests
     * take about 60 us here.
     */
    int LONGEST_RUN = 64;

    /**
     * The own carriers when the JVM allows them ({@link SchedulerAccess}) and
     * {@code -Djhttpd.scheduler=jdk} does not ask otherwise; else the JDK's scheduler.
     */
    static Scheduling forNewServer() {
        Thread.Builder.OfVirtual own = "jdk".equals(System.getProperty(PROPERTY)) ? null : CarrierPool.newBuilder();
        return own != null ? new OwnCarriers(own) : SharedCarriers.create();
    }

    /** An unstarted virtual thread for the server's own long-lived work (the idle parking's). */
    Thread unstarted(String name, Runnable task);

    /**
     * Runs {@code work} on a new virtual thread soon; for platform threads (the accept loop). If no
     * thread can be started for it (out of memory for stacks), {@code ifNotStarted} runs instead, on
     * whichever thread found out.
     */
    void spawn(Runnable work, Runnable ifNotStarted);

    /**
     * Runs {@code work} on a virtual thread of its own; for virtual threads.
     *
     * @throws RuntimeException when no thread can be started
     */
    void start(Runnable work);

    /** Called by a connection between requests, before it waits for the next one. */
    void betweenRequests(long now);

    /**
     * Whether a connection that waits for its next request should yield its carrier once before it
     * reads; {@code now} is {@code System.nanoTime()}.
     */
    boolean yieldBeforeRead(long now);

    /**
     * Whether a connection should step aside before its next request, having begun {@code run}
     * requests since it last waited for bytes or stepped aside (a pipelining client's requests can
     * always be buffered, so that the connection never waits).
     */
    boolean turnDue(int run);

    /** Lets the other threads run before the calling connection goes on. */
    void stepAside();

    /** The server stopped: let go of threads kept in reserve. */
    void stop();

    /**
     * The carriers' own epoll, where connections in non-blocking mode wait for bytes and room, or null:
     * they then block in the JDK's poller.
     */
    default ReadinessPoller poller() {
        return null;
    }
}
