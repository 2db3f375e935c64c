package io.jhttpd.server;

import io.jhttpd.Limits;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open connections of one server: counts them for the connection cap, and closes them in order
 * on shutdown (idle ones at once, busy ones after their response, the rest at the deadline).
 */
final class ConnectionRegistry {

    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition emptied = lock.newCondition();

    /**
     * Starts the thread that enforces every connection's deadlines: it ends reads past their timeout
     * (header, body, idle), closes parked connections past the idle timeout and connections whose
     * client stopped reading (write stall), and trims connections idle on their thread. Blocking socket
     * I/O has no cheap timeout of its own; this is it. It ticks at a quarter of the shortest timeout,
     * between 10 ms and 1 s.
     */
    Thread startWatchdog(Limits limits) {
        long writeTimeoutNanos = limits.writeTimeout().toNanos();
        long periodMillis = tickMillis(limits);
        // Not a daemon: while the server runs, its watchdog keeps the JVM alive (every other thread of
        // the server is virtual), and it ends when the server stops.
        return Thread.ofPlatform().name("jhttpd-watchdog").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                for (Connection connection : open) {
                    connection.checkDeadlines(now, writeTimeoutNanos);
                }
            }
        });
    }

    /** The watchdog's period: a quarter of the shortest timeout, between 10 ms and 1 s. */
    static long tickMillis(Limits limits) {
        long shortest = Math.min(Math.min(limits.headerTimeout().toMillis(), limits.bodyTimeout().toMillis()),
                Math.min(limits.idleTimeout().toMillis(), limits.writeTimeout().toMillis()));
        return Math.max(10, Math.min(1_000, shortest / 4));
    }

    int size() {
        return open.size();
    }

    void add(Connection connection) {
        open.add(connection);
    }

    void remove(Connection connection) {
        open.remove(connection);
        if (open.isEmpty()) {
            lock.lock();
            try {
                emptied.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Drains every connection: idle ones close now; busy ones finish their request with
     * {@code Connection: close}; whatever is left at the deadline is aborted.
     *
     * @return true when every connection ended before the deadline
     */
    boolean closeAll(Duration grace) throws InterruptedException {
        for (Connection connection : open) {
            connection.drain();
        }
        for (Connection connection : open) {
            connection.closeIfIdle();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        lock.lock();
        try {
            while (!open.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                // a connection that went idle after drain() sees the flag and leaves by itself;
                // wake up now and then to close any that raced into idle
                emptied.awaitNanos(Math.min(left, 50_000_000L));
                for (Connection connection : open) {
                    connection.closeIfIdle();
                }
            }
        } finally {
            lock.unlock();
        }
        boolean clean = open.isEmpty();
        for (Connection connection : open) {
            connection.abort();
        }
        return clean;
    }
}
