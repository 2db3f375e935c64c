package io.jhttpd.server;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where idle connections wait without a thread: one selector and one virtual thread per server. A
 * connection with nothing to do hands its channel over ({@link #park}), its virtual thread ends, and
 * when the channel becomes readable (a request, the peer's EOF or a reset) the parking thread gives
 * the connection a new virtual thread ({@link Scheduling#start}) that carries on with it. An idle
 * connection then costs its socket, its selection key and a few fields: no stack, no buffers.
 *
 * <p>Only the parking thread registers and cancels keys, in this order each round: {@code select},
 * register the connections that arrived, then wake the ready ones (cancel their keys, start their
 * threads). A key cancelled in one round is deregistered by the next {@code select}, before that
 * round registers anything, and a woken connection can only ask to park again after its key was
 * cancelled: so a channel never meets its own cancelled key ({@link CancelledKeyException}).
 * Readiness is level-triggered, so bytes that arrive while a park request waits in the queue are seen
 * as soon as it is registered.
 *
 * <p>Idle timeouts and shutdown close parked connections from other threads ({@link Connection}
 * decides who wins with its state); the channel's descriptor is released when the selector next runs,
 * so they wake it up ({@link #left}).
 */
final class IdleParking implements Runnable {

    private static final System.Logger LOG = System.getLogger("io.jhttpd");

    private final Selector selector;
    private final Queue<Connection> arriving = new ConcurrentLinkedQueue<>();
    private final AtomicInteger parked = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;

    private IdleParking(Selector selector, Scheduling scheduling) {
        this.selector = selector;
        // Virtual, on the server's carriers: on the JDK's scheduler the connections it wakes then run
        // next on its carrier (Spawner.start hands them to spares by an unpark). Selector.select parks
        // a virtual thread on the JDK's poller, whose helper an OutsideTurn lets run when that
        // scheduler's carrier is busy.
        this.thread = scheduling.unstarted("jhttpd-idle", this);
    }

    /** Starts the parking thread, on the server's carriers. */
    static IdleParking start(Scheduling scheduling) throws IOException {
        IdleParking parking = new IdleParking(Selector.open(), scheduling);
        parking.thread.start();
        return parking;
    }

    /**
     * Takes a connection whose channel is already non-blocking and which is in the parked state; the
     * caller's thread may end as soon as this returns.
     */
    void park(Connection connection) {
        parked.incrementAndGet();
        arriving.add(connection);
        selector.wakeup();
        if (closed) {
            connection.closeIfParked(); // raced with stop: no one would ever wake it
        }
    }

    /**
     * Called by a connection that left the parked state (woken or closed). A closed one's channel may
     * still be registered: the selector releases its descriptor when it next runs, so wake it up.
     */
    void left(boolean closed) {
        parked.decrementAndGet();
        if (closed) {
            selector.wakeup();
        }
    }

    /** How many connections are parked now. */
    int parked() {
        return parked.get();
    }

    @Override
    public void run() {
        try {
            Set<SelectionKey> ready = selector.selectedKeys();
            while (!closed) {
                selector.select();
                registerArrivals();
                for (SelectionKey key : ready) {
                    wake(key);
                }
                ready.clear();
            }
        } catch (ClosedSelectorException e) {
            // stopped
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "idle parking failed; parked connections are closed", e);
        } finally {
            closeAll();
        }
    }

    /** A parked channel became readable: it leaves the selector and gets a thread again. */
    private void wake(SelectionKey key) {
        key.cancel();
        try {
            ((Connection) key.attachment()).resume();
        } catch (RuntimeException e) {
            // that connection is closed; the others must not lose their parking
            LOG.log(System.Logger.Level.ERROR, "could not give a woken connection a thread", e);
        }
    }

    private void registerArrivals() {
        Connection connection;
        while ((connection = arriving.poll()) != null) {
            try {
                connection.channel().register(selector, SelectionKey.OP_READ, connection);
            } catch (ClosedChannelException e) {
                connection.closeIfParked(); // closed meanwhile: its closer cleans up
            } catch (CancelledKeyException e) {
                arriving.add(connection); // not expected (see the class doc): try again after a select
                selector.wakeup();
                return;
            }
        }
    }

    /** Stops the thread and closes what is still parked; call after the connections were closed. */
    void stop() throws InterruptedException {
        closed = true;
        selector.wakeup();
        thread.join();
    }

    private void closeAll() {
        closed = true;
        Connection connection;
        while ((connection = arriving.poll()) != null) {
            connection.closeIfParked();
        }
        try {
            for (SelectionKey key : selector.keys()) {
                ((Connection) key.attachment()).closeIfParked();
            }
        } catch (ClosedSelectorException e) {
            // nothing left
        }
        try {
            selector.close(); // deregisters every key, so closed channels release their descriptors
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the idle selector: {0}", e.toString());
        }
    }
}
