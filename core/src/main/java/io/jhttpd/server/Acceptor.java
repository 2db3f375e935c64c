package io.jhttpd.server;

import io.jhttpd.Limits;
import io.jhttpd.ServerListener;
import io.jhttpd.http.ErrorHandler;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Status;
import io.jhttpd.http.Version;
import io.jhttpd.wire.BufferPool;
import io.jhttpd.wire.ConnectionInput;
import io.jhttpd.wire.ConnectionOutput;
import io.jhttpd.wire.ResponseWriter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The accept loop: one thread takes connections from the listening socket and gives each a virtual
 * thread. Past the connection cap a newcomer gets 503 and is closed, so that the
 * server never stops accepting silently. When accepting fails (no file descriptors left), it backs
 * off and logs at most once a second instead of spinning.
 *
 * <p>The loop runs on a platform thread, blocked in the kernel's {@code accept}, so that it takes a
 * new connection at once however busy the carriers are (a virtual thread blocked in {@code accept}
 * waits for the JDK poller's helper, which on the JDK's scheduler waits in its outside queue). It
 * hands the connection to the server's {@link Scheduling}: on the own carriers its thread starts at
 * the back of their one queue; on the JDK's scheduler a spare thread runs it next (see
 * ARCHITECTURE.md, "Scheduling"). The server's watchdog, a platform thread and not a daemon, keeps the
 * JVM alive while the server runs.
 */
public final class Acceptor implements Runnable {

    private static final System.Logger LOG = System.getLogger("io.jhttpd");
    /**
     * Free buffers kept per pool (read: 4 KiB, write: 8 KiB), at most 1.5 MiB in all. Only connections
     * serving a request hold buffers, so a few dozen cover a burst of new or waking connections.
     */
    private static final int POOLED_BUFFERS = 128;

    private final ServerSocketChannel listener;
    private final ServerContext context;
    private final Thread thread;
    private final Thread watchdog;
    private long lastFailureLog;

    private Acceptor(ServerSocketChannel listener, ServerContext context) {
        this.listener = listener;
        this.context = context;
        this.thread = Thread.ofPlatform().name("jhttpd-acceptor").daemon(true).unstarted(this);
        this.watchdog = context.registry().startWatchdog(context.limits());
    }

    /**
     * Starts accepting on {@code listener}, which must be bound and in blocking mode.
     *
     * @throws IOException when the selector for idle connections cannot be opened
     */
    public static Acceptor start(ServerSocketChannel listener, Limits limits, Handler handler,
                                 ErrorHandler errorHandler, String serverName, ServerListener serverListener)
            throws IOException {
        // The JDK loads its time-zone rules on first use, from a file (lib/tzdb.dat). The default
        // System.Logger backend (JUL) first needs them when it formats a record, which may be the accept
        // failure of a process out of descriptors: the load then fails, leaves the JDK's time-zone
        // classes unusable for good, and every later log call throws. Load them now, while we can.
        java.time.ZoneId.systemDefault();
        Scheduling scheduling = Scheduling.forNewServer();
        IdleParking parking = IdleParking.start(scheduling);
        ServerContext context = new ServerContext(limits, new Dispatcher(handler, errorHandler), serverName, new ConnectionRegistry(),
                serverListener, parking, new BufferPool(ConnectionInput.BUFFER_SIZE, POOLED_BUFFERS),
                new BufferPool(ConnectionOutput.BUFFER_SIZE, POOLED_BUFFERS),
                scheduling,
                TimeUnit.MILLISECONDS.toNanos(ConnectionRegistry.tickMillis(limits)));
        Acceptor acceptor = new Acceptor(listener, context);
        acceptor.thread.start();
        return acceptor;
    }

    @Override
    public void run() {
        long backoffMillis = 0;
        while (listener.isOpen()) {
            SocketChannel channel;
            try {
                channel = listener.accept();
                backoffMillis = 0;
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                backoffMillis = Math.min(1_000, Math.max(10, backoffMillis * 2));
                logFailure(e);
                reportFailure(e);
                sleep(backoffMillis);
                continue;
            }
            if (context.registry().size() >= context.limits().maxConnections()) {
                context.scheduling().spawn(() -> refuse(channel), () -> Sockets.closeQuietly(channel));
            } else {
                startConnection(channel);
            }
        }
    }

    private void startConnection(SocketChannel channel) {
        try {
            Connection connection = new Connection(channel, context);
            context.registry().add(connection);
            context.scheduling().spawn(connection, connection::abandon);
        } catch (IOException e) {
            Sockets.closeQuietly(channel); // the peer left before we could look at it
        }
    }

    /** Answers 503 and closes: the cap is reached, but a client deserves an answer. */
    private void refuse(SocketChannel channel) {
        try {
            context.listener().connectionRejected((InetSocketAddress) channel.getRemoteAddress());
            ConnectionOutput out = new ConnectionOutput(channel);
            ResponseWriter writer = new ResponseWriter(out, context.serverName());
            HttpException busy = new HttpException(Status.SERVICE_UNAVAILABLE_503, "Too many connections");
            writer.write(context.dispatcher().render(null, busy), Method.GET, Version.HTTP_1_1, false);
            out.flush();
            Sockets.lingeringClose(channel, channel.socket());
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(channel);
        }
    }

    private void logFailure(IOException e) {
        long now = System.nanoTime();
        if (now - lastFailureLog > 1_000_000_000L || lastFailureLog == 0) {
            lastFailureLog = now;
            try {
                LOG.log(System.Logger.Level.WARNING, "accept failed, backing off: {0}", e.toString());
            } catch (RuntimeException | Error loggingFailed) {
                // Out of descriptors, logging can fail too (JUL's formatter opens the time-zone database
                // on first use and throws an Error): the accept loop must outlive it.
            }
        }
    }

    private void reportFailure(IOException e) {
        try {
            context.listener().acceptFailed(e);
        } catch (RuntimeException listenerFailed) {
            // a listener must not throw; if it does, the accept loop must outlive it all the same
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The number of connections open now. */
    public int openConnections() {
        return context.registry().size();
    }

    /** The number of open connections that wait for a request without a thread (parked). */
    public int parkedConnections() {
        return context.parking().parked();
    }

    /**
     * Stops accepting, lets busy connections finish within {@code grace}, closes idle ones at once,
     * and aborts what is left at the deadline.
     *
     * @return true when every connection ended in time
     */
    public boolean stop(Duration grace) throws InterruptedException {
        Sockets.closeQuietly(listener);
        thread.join();
        try {
            return context.registry().closeAll(grace);
        } finally {
            watchdog.interrupt();
            context.parking().stop();
            context.scheduling().stop();
        }
    }
}
