package io.jhttpd.server;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The carriers' own epoll: connections in non-blocking mode are registered once, edge-triggered, and a
 * carrier with nothing to run waits in {@code epoll_wait} itself, so that a request arriving on a quiet
 * server runs on the carrier that saw it, with no other thread in between. (On the JDK's poller the
 * same request passes the master poller's platform thread and a poller helper's virtual thread, and
 * every wait re-arms the socket with {@code epoll_ctl}.) A busy carrier polls without waiting now and
 * then ({@link CarrierPool}), so that waiting connections are not left behind a long queue.
 *
 * <p>An event names a file descriptor; the table maps it to the {@link SocketReadiness} registered last for
 * that number. A descriptor is removed from epoll when its socket closes, and a number reused by a new
 * socket is registered anew; an event read just before a close and handled after the number's reuse
 * raises a flag for nothing, which a {@link SocketReadiness} tolerates.
 */
final class ReadinessPoller {

    private static final int EVENTS_PER_POLL = 64;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(SocketReadiness[].class);

    private final int epfd;
    private final Object wakeup;
    private final int wakeupFd;
    private final ReentrantLock tableLock = new ReentrantLock();
    private volatile BooleanSupplier busy = () -> false;
    private volatile SocketReadiness[] table = new SocketReadiness[1024];
    /** Event arrays given back by carriers that retired (guarded by the table's lock). */
    private final ArrayDeque<Long> freeEventArrays = new ArrayDeque<>();

    private ReadinessPoller() throws IOException {
        this.epfd = NativeEpoll.create();
        this.wakeup = NativeEpoll.newEventFd();
        this.wakeupFd = NativeEpoll.eventFdDescriptor(wakeup);
        // Edge-triggered and never read back: each write is one event, for one poller, and no poller
        // can block reading a counter another one drained (its count would take 2^64 wake-ups to fill).
        int error = NativeEpoll.ctl(epfd, NativeEpoll.EPOLL_CTL_ADD, wakeupFd, NativeEpoll.EPOLLIN | NativeEpoll.EPOLLET);
        if (error != 0) {
            throw new IOException("epoll_ctl failed for the wake-up eventfd: " + error);
        }
    }

    /** Whether threads wait for the carriers that poll this (their pool says, once it exists). */
    boolean carriersBusy() {
        return busy.getAsBoolean();
    }

    /** Tells the poller how to know its carriers are busy. */
    void busyWhen(BooleanSupplier carriersBusy) {
        this.busy = carriersBusy;
    }

    /** A poller, or null where the JVM does not let jhttpd use epoll (or epoll fails). */
    static ReadinessPoller createIfAvailable() {
        if (!NativeEpoll.available()) {
            return null;
        }
        try {
            return new ReadinessPoller();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A native array for one carrier's polls, until it gives it back (relief carriers come and go). */
    long takeEventArray() {
        tableLock.lock();
        try {
            Long free = freeEventArrays.pollFirst();
            return free != null ? free : NativeEpoll.allocateEvents(EVENTS_PER_POLL);
        } finally {
            tableLock.unlock();
        }
    }

    /** Takes back an array of {@link #takeEventArray()}'s, for the next carrier that needs one. */
    void giveEventArray(long events) {
        tableLock.lock();
        try {
            freeEventArrays.addLast(events);
        } finally {
            tableLock.unlock();
        }
    }

    /** The readiness of a connected channel, to be registered at its first wait (no system call now). */
    SocketReadiness readinessOf(SocketChannel channel) {
        return new SocketReadiness(this, channel, NativeEpoll.fd(channel));
    }

    /** Registers a socket, in non-blocking mode underneath, for reads and writes. */
    void register(SocketReadiness readiness) throws IOException {
        int fd = readiness.fd;
        tableLock.lock();
        try {
            SocketReadiness[] slots = table;
            if (fd >= slots.length) {
                slots = Arrays.copyOf(slots, Math.max(fd + 1, slots.length * 2));
                table = slots;
            }
            SLOT.setRelease(slots, fd, readiness);
        } finally {
            tableLock.unlock();
        }
        int events = NativeEpoll.EPOLLIN | NativeEpoll.EPOLLOUT | NativeEpoll.EPOLLRDHUP | NativeEpoll.EPOLLET;
        int error = NativeEpoll.ctl(epfd, NativeEpoll.EPOLL_CTL_ADD, fd, events);
        if (error == NativeEpoll.EEXIST) {
            error = NativeEpoll.ctl(epfd, NativeEpoll.EPOLL_CTL_MOD, fd, events);
        }
        if (error != 0) {
            unregister(readiness);
            throw new IOException("epoll_ctl failed: " + error);
        }
    }

    /**
     * Forgets a registration once its socket is closed (epoll forgot the socket then), unless its number
     * was registered anew meanwhile; nothing to forget for a socket that never waited.
     */
    void unregister(SocketReadiness readiness) {
        tableLock.lock();
        try {
            SocketReadiness[] slots = table;
            if (readiness.fd < slots.length) { // else it never waited, and the table never grew to it
                SLOT.compareAndSet(slots, readiness.fd, readiness, null);
            }
        } finally {
            tableLock.unlock();
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: for ever, 0: not at all) for events, and reports each to its
     * {@link SocketReadiness}, whose waiter is unparked (and queued for a carrier). The wake-up eventfd's
     * event only ends the wait.
     */
    void poll(long events, int timeoutMillis) throws IOException {
        int n = NativeEpoll.await(epfd, events, EVENTS_PER_POLL, timeoutMillis);
        for (int i = 0; i < n; i++) {
            int fd = NativeEpoll.descriptor(events, i);
            if (fd == wakeupFd) {
                continue;
            }
            SocketReadiness[] slots = table;
            SocketReadiness readiness = fd < slots.length ? (SocketReadiness) SLOT.getAcquire(slots, fd) : null;
            if (readiness != null) {
                readiness.report(NativeEpoll.events(events, i));
            }
        }
    }

    /** Ends a carrier's wait in {@link #poll} (there is work for it). */
    void wakeUp() {
        try {
            NativeEpoll.signal(wakeup);
        } catch (IOException e) {
            throw new IllegalStateException("the poller's eventfd failed", e);
        }
    }
}
