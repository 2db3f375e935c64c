package io.jhttpd.server;

import io.jhttpd.wire.WriteWait;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * One socket's readiness as the {@link ReadinessPoller} reports it, and the one thread that may wait
 * for it: the connection's. The socket is registered once, edge-triggered, so each arrival of bytes
 * (or room to write) raises a flag here and wakes the waiter, with no system call per wait.
 *
 * <p>The rule that loses no wake-up: clear the flag, then try the non-blocking read or write; only
 * when that finds nothing, wait until the flag is raised. An edge that comes after the clear raises
 * it again, so the wait ends at once; one that came before it was for bytes the read then got.
 * A flag raised for nothing (an edge whose bytes an earlier read took) costs one read that finds
 * nothing and another wait.
 */
final class SocketReadiness implements WriteWait {

    private final ReadinessPoller poller;
    private final SocketChannel channel;
    final int fd;
    /** Whether the socket is in the poller's epoll: from its first wait on (the connection's thread's). */
    private boolean registered;
    private volatile boolean readable;
    /**
     * Whether the peer's EOF (or a reset) was reported: for good, since it comes as one edge, and a read
     * that took the bytes before it leaves it pending with no edge to come.
     */
    private volatile boolean inputEnded;
    private volatile boolean writable;
    private volatile Thread waiter;

    SocketReadiness(ReadinessPoller poller, SocketChannel channel, int fd) {
        this.poller = poller;
        this.channel = channel;
        this.fd = fd;
    }

    /**
     * Registers the socket at its first wait, so that a connection that never waits (one request, its
     * bytes already there) costs no {@code epoll_ctl}. Bytes that came before are reported all the same:
     * epoll reports what is ready when a socket is added.
     */
    private void registerOnce() throws IOException {
        if (!registered) {
            poller.register(this);
            registered = true;
        }
    }

    /** Whether threads wait for the carriers: then the poller looks only now and then. */
    boolean carriersBusy() {
        return poller.carriersBusy();
    }

    /** Before a read: forget what was reported so far (the read will see it). */
    void clearReadable() {
        readable = false;
    }

    /** Before a write: as {@link #clearReadable()}. */
    void clearWritable() {
        writable = false;
    }

    /** Parks until bytes (or the peer's EOF, or an error) are reported, or the channel is closed. */
    void awaitReadable() throws IOException {
        if (readable || inputEnded) {
            return;
        }
        registerOnce();
        waiter = Thread.currentThread();
        try {
            while (!readable && !inputEnded) {
                if (!channel.isOpen()) {
                    throw new ClosedChannelException();
                }
                LockSupport.park(this);
            }
        } finally {
            waiter = null;
        }
    }

    @Override
    public void clearWriteReadiness() {
        clearWritable();
    }

    /** Parks until room to write (or an error) is reported, or the channel is closed. */
    @Override
    public void awaitWritable() throws IOException {
        if (writable) {
            return;
        }
        registerOnce();
        waiter = Thread.currentThread();
        try {
            while (!writable) {
                if (!channel.isOpen()) {
                    throw new ClosedChannelException();
                }
                LockSupport.park(this);
            }
        } finally {
            waiter = null;
        }
    }

    /** The poller's report: raises the flags the events name and wakes the waiter. */
    void report(int events) {
        if ((events & (NativeEpoll.EPOLLRDHUP | NativeEpoll.EPOLLHUP | NativeEpoll.EPOLLERR)) != 0) {
            inputEnded = true;
        }
        if ((events & NativeEpoll.EPOLLIN) != 0) {
            readable = true;
        }
        if ((events & (NativeEpoll.EPOLLOUT | NativeEpoll.EPOLLHUP | NativeEpoll.EPOLLERR)) != 0) {
            writable = true;
        }
        wake();
    }

    /** Wakes the waiter, if any: after a close by another thread, so that it sees the channel closed. */
    void wake() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
