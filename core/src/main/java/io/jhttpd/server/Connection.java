package io.jhttpd.server;

import io.jhttpd.Limits;
import io.jhttpd.http.Method;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.Version;
import io.jhttpd.wire.BodyFraming;
import io.jhttpd.wire.ConnectionInput;
import io.jhttpd.wire.ConnectionOutput;
import io.jhttpd.wire.HttpParseException;
import io.jhttpd.wire.RequestBody;
import io.jhttpd.wire.RequestHead;
import io.jhttpd.wire.ResponseWriter;
import io.jhttpd.wire.WriteWait;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One socket's request loop: read a head, frame the body, dispatch, write, then keep alive or close.
 * The loop runs on a virtual thread, and the connection and its buffers belong to that thread alone.
 *
 * <p>Between requests a connection waits in one of two ways. A <em>hot</em> one, whose requests follow
 * each other within a watchdog tick, waits on its thread in a blocking read, the cheapest wake-up there
 * is; so does a new one for its first request. A <em>cold</em> one (idle across a tick) parks instead:
 * its buffers go back to the pool, its channel goes to {@link IdleParking} and its thread ends, and a
 * new thread carries on when bytes arrive. A connection is thus a parked channel, a blocked thread, or
 * a thread serving a request. Connections start cold: the first response is followed by a park unless
 * the next request is already there, and a quick wake-up makes them hot.
 *
 * <p>The state says who may touch what. BUSY: the thread owns everything. IDLE: the thread is blocked
 * in its first read and owns only that; the watchdog may move it to TRIMMING, give the buffers back,
 * and end in TRIMMED; nobody else changes a TRIMMING state. PARKED: no thread; whoever moves it out
 * (the parking thread to BUSY, a closer to CLOSED) owns it. Shutdown talks to it through
 * {@link #closeIfIdle()} and {@link #drain()}: an idle or parked connection is closed at once; a busy
 * one finishes its request and answers with {@code Connection: close}.
 */
final class Connection implements Runnable {

    private static final System.Logger LOG = System.getLogger("io.jhttpd");
    private static final int IDLE = 0;
    private static final int BUSY = 1;
    private static final int CLOSED = 2;
    /** Idle, and its buffers let go by the watchdog; it takes new ones when a request comes. */
    private static final int TRIMMED = 3;
    /** The watchdog is letting the buffers go: a request that arrives now waits for it to finish. */
    private static final int TRIMMING = 4;
    /** No thread: the channel waits in {@link IdleParking}. */
    private static final int PARKED = 5;

    private final SocketChannel channel;
    private final Socket socket;
    private final ServerContext context;
    private final Limits limits;
    private final Dispatcher dispatcher;
    private final ConnectionRegistry registry;
    private final InetSocketAddress remote;
    private final RequestMeter meter;
    /**
     * The socket's readiness in the carriers' own epoll, where the socket is non-blocking after its first
     * read; null where connections wait in the JDK's poller (on the JDK's scheduler, or where
     * sun.nio.ch is not opened), and the socket is non-blocking only while parked.
     */
    private final SocketReadiness readiness;
    private final AtomicInteger state = new AtomicInteger(BUSY);
    /**
     * The working set, made when a thread starts serving and dropped when it parks; null meanwhile.
     * The watchdog reads {@code socketInput} (volatile, written last) before {@code output}, so it
     * sees the output that came with it; a plain {@code output} keeps volatile reads off the request
     * path (a volatile one cost pipelined requests about 8% more CPU, wrk -c64, 16 deep).
     */
    private volatile DeadlineInputStream socketInput;
    private ConnectionInput input;
    private ConnectionOutput output;
    private ResponseWriter writer;
    private volatile boolean draining;
    /** Requests begun so far: the watchdog trims a connection idle across two of its ticks. */
    private volatile int requestsBegun;
    private int requestsSeenByWatchdog;
    private int served;
    /** Requests begun since this connection last waited for bytes or stepped aside. */
    private int run;
    /** Whether the next wait is a blocking read on this thread rather than parking; see the class doc. */
    private boolean hot;
    /** When the connection last parked (System.nanoTime); written before the state becomes PARKED. */
    private long parkedAt;

    Connection(SocketChannel channel, ServerContext context) throws IOException {
        this.channel = channel;
        this.socket = channel.socket();
        this.context = context;
        this.limits = context.limits();
        this.dispatcher = context.dispatcher();
        this.registry = context.registry();
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.meter = new RequestMeter(context.listener(), remote);
        socket.setTcpNoDelay(true);
        ReadinessPoller poller = context.scheduling().poller();
        this.readiness = poller != null ? poller.readinessOf(channel) : null;
    }

    SocketChannel channel() {
        return channel;
    }

    /** The first thread of a new connection. */
    @Override
    public void run() {
        meter.connectionOpened();
        live(false);
    }

    /**
     * Called by the parking thread when the parked channel became readable: unless a closer got there
     * first, the connection gets a new thread.
     */
    void resume() {
        if (state.compareAndSet(PARKED, BUSY)) {
            context.parking().left(false);
            try {
                context.scheduling().start(() -> live(true));
            } catch (RuntimeException e) {
                end(); // no thread to carry on with it
                throw e;
            }
        }
    }

    /** For a new connection that got no thread: closes it without a word (there is no one to say it). */
    void abandon() {
        state.set(CLOSED);
        closeChannel();
        registry.remove(this);
    }

    private void live(boolean woken) {
        boolean parked = false;
        try {
            if (woken) {
                if (readiness == null) {
                    channel.configureBlocking(true); // its key is cancelled, so this is allowed
                }
                hot = System.nanoTime() - parkedAt < context.hotGapNanos();
            }
            parked = serve(woken);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "connection from {0} ended: {1}", remote, e.toString());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "connection from " + remote + " failed", e);
        } finally {
            if (!parked) {
                end();
            }
        }
    }

    /** Takes the state to CLOSED, waiting out a trim in progress, then lets go of everything. */
    private void end() {
        int s;
        while ((s = state.get()) == TRIMMING || !state.compareAndSet(s, CLOSED)) {
            Thread.onSpinWait(); // the watchdog is a few field writes from done
        }
        closeChannel();
        try {
            meter.connectionClosed(); // completes a request left in flight, with the working set's counts
        } finally {
            dropWorkingSet();
            registry.remove(this);
        }
    }

    /**
     * Serves requests until the connection closes (false) or parks (true: the thread must then leave
     * the connection alone).
     *
     * @param readable whether bytes (or the peer's EOF) are known to be waiting
     */
    private boolean serve(boolean readable) throws IOException {
        while (true) {
            if (!readable && (input == null || !input.hasBufferedBytes())) { // input: null when new
                run = 0;
                Wait wait = awaitBytes();
                if (wait == Wait.PARK) {
                    return park();
                }
                if (wait == Wait.CLOSE) {
                    return false;
                }
            }
            readable = false;
            if (context.scheduling().turnDue(run++)) {
                if (output != null) {
                    output.flush(); // nothing of ours waits in a buffer while we stand aside
                }
                context.scheduling().stepAside();
                run = 0;
            }
            openWorkingSet();
            requestsBegun++;
            RequestHead head;
            try {
                head = input.readHead(limits.idleTimeout().toMillis());
                if (head == null) {
                    return false;
                }
            } catch (HttpParseException e) {
                meter.started(null);
                answerAndClose(null, e);
                return false;
            }
            if (!exchange(head, ++served)) {
                return false;
            }
        }
    }

    private enum Wait { READY, PARK, CLOSE }

    /**
     * Waits for the first bytes of the next request when nothing is buffered: on this thread if the
     * connection is new or hot, else by parking (unless bytes are already there).
     */
    private Wait awaitBytes() throws IOException {
        if (output != null) {
            output.flush();
        }
        long now = System.nanoTime();
        context.scheduling().betweenRequests(now);
        if (draining) {
            return Wait.CLOSE;
        }
        if (served == 0) {
            // A new connection: its client nearly always sends at once, and parking it would cost
            // each new connection a trip through the selector (8 us, measured with wrk -c64 close.lua).
            openWorkingSet();
        } else if (!hot) {
            if (socketInput.available() > 0) {
                hot = true; // the next request came before we could even park
                return Wait.READY;
            }
            return Wait.PARK;
        }
        state.set(IDLE);
        if (context.scheduling().yieldBeforeRead(now)) {
            Thread.yield();
        }
        if (input.awaitFirstBytes(limits.idleTimeout().toMillis()) <= 0 || !wakeUp()) {
            return Wait.CLOSE;
        }
        return Wait.READY;
    }

    /** Leaves the idle state as a request's first bytes arrive; false when shutdown closed it meanwhile. */
    private boolean wakeUp() {
        while (true) {
            if (state.compareAndSet(IDLE, BUSY)) {
                return true;
            }
            if (state.compareAndSet(TRIMMED, BUSY)) {
                output.restore();
                hot = false; // it was idle across a tick: after this request, park
                return true;
            }
            if (state.get() != TRIMMING) {
                return false; // closed by shutdown
            }
            Thread.onSpinWait(); // the watchdog is a few field writes from done
        }
    }

    /**
     * Parks the connection: buffers back to the pool, channel to {@link IdleParking}, and this thread
     * ends. Returns true when parked (from then on the thread must not touch the connection), false
     * when it was aborted meanwhile.
     */
    private boolean park() throws IOException {
        dropWorkingSet();
        if (channel.isBlocking()) {
            channel.configureBlocking(false); // a selector takes only non-blocking channels
        }
        parkedAt = System.nanoTime();
        if (!state.compareAndSet(BUSY, PARKED)) {
            return false;
        }
        context.parking().park(this);
        return true;
    }

    private void openWorkingSet() throws IOException {
        if (input == null) {
            InputStream socketStream = socket.getInputStream();
            DeadlineInputStream in = new DeadlineInputStream(
                    readiness == null ? socketStream : new PolledSocketInput(channel, readiness, socketStream), channel);
            ConnectionOutput out = new ConnectionOutput(channel, context.writeBuffers(),
                    readiness == null ? WriteWait.BLOCKING : readiness);
            input = new ConnectionInput(in, in, limits, context.readBuffers());
            writer = new ResponseWriter(out, context.serverName());
            output = out;
            socketInput = in;
            meter.countFrom(in, input, out);
        }
    }

    /** Gives the buffers back (unless the watchdog already did) and forgets the working set. */
    private void dropWorkingSet() {
        if (input != null) {
            input.trim();
            output.trim();
        }
        socketInput = null;
        input = null;
        output = null;
        writer = null;
        meter.forgetWorkingSet();
    }

    /** Serves one request; returns whether the connection stays open for another. */
    private boolean exchange(RequestHead head, int served) throws IOException {
        meter.started(head.method());
        RequestBody body;
        try {
            body = BodyFraming.forRequest(head, input, limits, writer::writeContinue);
        } catch (HttpParseException e) {
            answerAndClose(head, e);
            return false;
        }
        Request request = requestOf(head, body);
        Dispatcher.Outcome outcome = dispatcher.dispatch(request, body, remote);
        boolean keepAlive = outcome.keepConnection()
                && !draining
                && served < limits.maxRequestsPerConnection()
                && persistent(head)
                && !body.broken() && !body.awaitingContinue()
                // too much unread to drop: say so in the response, and close lingering (RFC 9112 §9.6)
                && !body.discardWouldRefuse(limits.maxDrainBytes())
                && ResponseWriter.canKeepAlive(outcome.response(), head.method(), head.version());
        meter.responding(outcome.response().status());
        writer.write(outcome.response(), head.method(), head.version(), keepAlive);
        if (!keepAlive) {
            meter.completed(true);
            output.flush();
            if (!persistent(head) && body.complete() && !input.hasBufferedBytes() && socketInput.available() == 0) {
                // The client asked to close and sent everything it had (RFC 9112 §9.6: it sends no more
                // requests): nothing is left to read, so no reset can follow a plain close.
                Sockets.closeAfterLastResponse(channel, socket);
            } else {
                Sockets.lingeringClose(channel, socket);
            }
            return false;
        }
        if (!body.complete()) {
            if (!body.restBuffered()) {
                return answerThenDrain(body);
            }
            body.discardBuffered(); // the rest is here, within maxDrainBytes (a longer one said close)
            if (!body.complete()) {
                // Never read the next request from inside this body, whatever went wrong in the drop.
                meter.completed(true);
                Sockets.lingeringClose(channel, socket);
                return false;
            }
        }
        meter.completed(false);
        if (input.hasBufferedHead() || input.topUpPartialHead()) {
            meter.nextFollowsAtOnce();
        } else {
            output.flush(); // the next request is not all here: this response must not wait for it
        }
        return true;
    }

    /**
     * The handler left part of the body unread and the rest has not all arrived: the answer goes now,
     * so that the client does not wait (up to the body timeout) while the rest is read and dropped. A
     * rest that turns out longer than {@code maxDrainBytes} (a chunked body), or broken, ends the
     * connection: the answer said nothing of closing, so the close lingers and the client can read it.
     */
    private boolean answerThenDrain(RequestBody body) throws IOException {
        body.discardBuffered(); // what has arrived is counted for this request
        meter.completed(false);
        output.flush();
        if (!body.discardRest(limits.maxDrainBytes())) {
            Sockets.lingeringClose(channel, socket);
            return false;
        }
        meter.dropped();
        return true;
    }

    /** RFC 9112 §9.3: 1.1 persists unless asked to close; 1.0 only when it asks for keep-alive. */
    private static boolean persistent(RequestHead head) {
        if (head.connectionClose()) {
            return false;
        }
        return head.version().persistsByDefault() || head.connectionKeepAlive();
    }

    private Request requestOf(RequestHead head, RequestBody body) {
        return new Request(head.method(), head.path(), head.query(), head.version(), head, body, remote);
    }

    /** Answers a request that could not be framed, then closes in stages (RFC 9112 §9.6). */
    private void answerAndClose(RequestHead head, HttpParseException error) throws IOException {
        Method method = head != null && head.method() != null ? head.method()
                : error.requestMethod() != null ? error.requestMethod() : Method.GET;
        Version version = head == null || head.version() == null ? Version.HTTP_1_1 : head.version();
        meter.responding(error.status());
        // With a head, the error handler sees it (an Origin to answer CORS for); only the body was refused.
        Request request = head == null || head.method() == null ? null : requestOf(head, RequestBody.empty());
        Response response = dispatcher.render(request, error);
        long bodyBytes = method == Method.HEAD ? -1 : response.body().length();
        writer.write(response, method, version, false);
        meter.completed(true);
        meter.refused(error.status(), bodyBytes);
        output.flush();
        Sockets.lingeringClose(channel, socket);
    }

    /** Closes the connection if it is waiting for a request (parked or idle); returns whether it did. */
    boolean closeIfIdle() {
        if (closeIfParked()) {
            return true;
        }
        if (state.compareAndSet(IDLE, CLOSED) || state.compareAndSet(TRIMMED, CLOSED)) {
            closeChannel(); // its thread wakes up and cleans up
            return true;
        }
        return false;
    }

    /** Closes a parked connection and forgets it; false when it is not parked (or someone else won). */
    boolean closeIfParked() {
        if (state.compareAndSet(PARKED, CLOSED)) {
            closeChannel();
            try {
                meter.connectionClosed(); // nothing in flight: a parked connection has answered everything
            } finally {
                registry.remove(this);
                context.parking().left(true);
            }
            return true;
        }
        return false;
    }

    /**
     * Lets the buffers of a connection go when it began no request since the watchdog's last tick and
     * is waiting for one on its thread: it then holds little more than its socket and its blocked
     * thread, and parks after its next request. The connection's thread takes buffers again when the
     * next request comes.
     */
    private void trimIfIdle() {
        int begun = requestsBegun;
        if (begun == requestsSeenByWatchdog && state.compareAndSet(IDLE, TRIMMING)) {
            input.trim();
            output.trim();
            state.set(TRIMMED);
        }
        requestsSeenByWatchdog = begun;
    }

    /** Asks a busy connection to close after its current response. */
    void drain() {
        draining = true;
    }

    /** Closes the socket whatever the connection is doing (the shutdown deadline passed). */
    void abort() {
        while (true) {
            int s = state.get();
            if (s == PARKED) {
                if (closeIfParked()) {
                    return;
                }
            } else if (s == TRIMMING) {
                Thread.onSpinWait(); // the watchdog is a few field writes from done
            } else if (state.compareAndSet(s, CLOSED)) {
                break;
            }
        }
        closeChannel(); // its thread, if any, fails its I/O and cleans up
    }

    /**
     * Closes the socket, from any thread; a thread of this connection waiting in the carriers' epoll
     * is woken to see it (the JDK wakes one blocked in its own poller).
     */
    private void closeChannel() {
        if (readiness != null) {
            readiness.close();
        } else {
            Sockets.closeQuietly(channel);
        }
    }

    /**
     * Called by the watchdog: closes a connection parked longer than the idle timeout, ends a read past
     * its deadline, trims an idle one, and aborts the connection if one socket write has been blocked
     * longer than {@code writeTimeoutNanos} (the client stopped reading).
     */
    void checkDeadlines(long now, long writeTimeoutNanos) {
        if (state.get() == PARKED) {
            if (now - parkedAt > limits.idleTimeout().toNanos()) {
                closeIfParked(); // RFC 9112 §9.5: a silent close of an idle connection
            }
            return;
        }
        DeadlineInputStream in = socketInput;
        ConnectionOutput out = output;
        if (in == null || out == null) {
            return; // between threads: parking, or just woken
        }
        in.expireIfPast(now);
        trimIfIdle();
        long since = out.writingSince();
        if (since != 0 && now - since > writeTimeoutNanos) {
            LOG.log(System.Logger.Level.DEBUG, "closing {0}: client stopped reading", remote);
            abort();
        }
    }
}
