package io.jhttpd.server;

import io.jhttpd.wire.WriteWait;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * One socket's readiness as the {@link ReadinessPoller} reports it, and the threads that wait for it:
 * the connection's, for bytes or for room. The socket is registered once, edge-triggered, so each
 * arrival of bytes (or room to write) raises a flag here and wakes the waiter, with no system call
 * per wait.
 *
 * <p>The rule that loses no wake-up: clear the flag, then try the non-blocking read or write; only
 * when that finds nothing, wait until the flag is raised. An edge that comes after the clear raises
 * it again, so the wait ends at once; one that came before it was for bytes the read then got.
 * A flag raised for nothing (an edge whose bytes an earlier read took) costs one read that finds
 * nothing and another wait.
 */
final class SocketReadiness implements WriteWait {

    private static final VarHandle GUARD;

    static {
        try {
            GUARD = MethodHandles.lookup().findVarHandle(SocketReadiness.class, "guard", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReadinessPoller poller;
    private final SocketChannel channel;
    final int fd;
    /** Whether the socket is in the poller's epoll: from its first wait on (the connection's thread's). */
    private boolean registered;
    /**
     * 1 while the socket is being registered or closed: a close by another thread cannot come between
     * the registration's check that the socket is open and its {@code epoll_ctl}, where the number could
     * meanwhile be closed, reused by a new socket and registered for it.
     */
    @SuppressWarnings("unused") // through GUARD
    private int guard;
    private volatile boolean readable;
    /**
     * Whether the peer's EOF (or a reset) was reported: kept, since it comes as one edge, and a read
     * that took the bytes before it leaves it pending with no edge to come. A read that then finds
     * nothing proves it stale (an event of the socket that had this number before), and clears it.
     */
    private volatile boolean inputEnded;
    private volatile boolean writable;
    private volatile Thread readWaiter;
    private volatile Thread writeWaiter;

    SocketReadiness(ReadinessPoller poller, SocketChannel channel, int fd) {
        this.poller = poller;
        this.channel = channel;
        this.fd = fd;
    }

    /** Before a read: forget what was reported so far (the read will see it). */
    void clearReadable() {
        readable = false;
    }

    /** A read found nothing: an EOF reported for this number was not this socket's. */
    void readFoundNothing() {
        inputEnded = false;
    }

    /** Whether threads wait for the carriers: then the poller looks only now and then. */
    boolean carriersBusy() {
        return poller.carriersBusy();
    }

    /** Parks until bytes (or the peer's EOF, or an error) are reported, or the channel is closed. */
    void awaitReadable() throws IOException {
        if (readable || inputEnded) {
            return;
        }
        registerOnce();
        readWaiter = Thread.currentThread();
        try {
            while (!readable && !inputEnded) {
                parkWhileOpen();
            }
        } finally {
            readWaiter = null;
        }
    }

    @Override
    public void clearWriteReadiness() {
        writable = false;
    }

    @Override
    public void limitUnsentBytes() {
        UnsentLimit.apply(channel);
    }

    /** Parks until room to write (or an error) is reported, or the channel is closed. */
    @Override
    public void awaitWritable() throws IOException {
        if (writable) {
            return;
        }
        registerOnce();
        writeWaiter = Thread.currentThread();
        try {
            while (!writable) {
                parkWhileOpen();
            }
        } finally {
            writeWaiter = null;
        }
    }

    /**
     * Parks once, unless the channel is closed (ClosedChannelException) or the thread interrupted: then,
     * as an interruptible channel would, the channel is closed and ClosedByInterruptException thrown
     * (a park would return at once for as long as the interrupt stays set).
     */
    private void parkWhileOpen() throws IOException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        if (Thread.currentThread().isInterrupted()) {
            close();
            throw new ClosedByInterruptException();
        }
        LockSupport.park(this);
    }

    /**
     * Registers the socket at its first wait, so that a connection that never waits (one request, its
     * bytes already there) costs no {@code epoll_ctl}. Bytes that came before are reported all the same:
     * epoll reports what is ready when a socket is added.
     */
    private void registerOnce() throws IOException {
        if (registered) {
            return;
        }
        lockGuard();
        try {
            if (!channel.isOpen()) {
                throw new ClosedChannelException();
            }
            poller.register(this);
            registered = true;
        } finally {
            GUARD.setRelease(this, 0);
        }
    }

    /** Closes the socket, from any thread, forgets it, and wakes its waiters to see it closed. */
    void close() {
        lockGuard();
        try {
            Sockets.closeQuietly(channel);
            poller.unregister(this);
        } finally {
            GUARD.setRelease(this, 0);
        }
        wake();
    }

    private void lockGuard() {
        while (!GUARD.compareAndSet(this, 0, 1)) {
            Thread.onSpinWait(); // the holder is one system call from done
        }
    }

    /** The poller's report: raises the flags the events name and wakes whoever waits for them. */
    void report(int events) {
        if ((events & (NativeEpoll.EPOLLRDHUP | NativeEpoll.EPOLLHUP | NativeEpoll.EPOLLERR)) != 0) {
            inputEnded = true;
        }
        if ((events & NativeEpoll.EPOLLIN) != 0) {
            readable = true;
        }
        if ((events & (NativeEpoll.EPOLLOUT | NativeEpoll.EPOLLHUP | NativeEpoll.EPOLLERR)) != 0) {
            writable = true;
            unpark(writeWaiter);
        }
        if ((events & (NativeEpoll.EPOLLIN | NativeEpoll.EPOLLRDHUP | NativeEpoll.EPOLLHUP | NativeEpoll.EPOLLERR)) != 0) {
            unpark(readWaiter);
        }
    }

    /** Wakes the waiters, if any, to look again: after a close by another thread. */
    void wake() {
        unpark(readWaiter);
        unpark(writeWaiter);
    }

    private static void unpark(Thread waiter) {
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }
}
