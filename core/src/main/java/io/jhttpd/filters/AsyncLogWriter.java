package io.jhttpd.filters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A line sink that never blocks its caller: lines go into a bounded queue, and one writer thread takes
 * them out in batches and writes each followed by {@code \n} (UTF-8) to a stream or a file. Under load
 * it pauses 2 ms between batches so that lines gather (one wake-up and one write for many lines); it
 * flushes when it finds the queue empty, and at least every 100 ms. When the queue is full (the disk
 * or the terminal is slower than the traffic) a line is dropped and counted, instead of making a
 * request wait: {@link #dropped()}. Lines lost to a failed write are counted there too, and the
 * failure is logged once per run of failures.
 *
 * <p>Made for {@link AccessLogFilter}, whose sink runs on the request's thread. Safe for any number of
 * threads; {@link #accept} costs a queue offer. {@link #close()} writes what is queued, flushes, and
 * closes the file (not a stream it was given); lines offered after it are dropped.
 *
 * <pre>{@code
 * try (AsyncLogWriter log = AsyncLogWriter.toFile(Path.of("access.log"), AsyncLogWriter.DEFAULT_CAPACITY)) {
 *     Filter accessLog = new AccessLogFilter(AccessLogFilter.Format.JSON, log);
 *     ...
 * }
 * }</pre>
 */
public final class AsyncLogWriter implements Consumer<String>, AutoCloseable {

    /** Lines the queue holds by default: about 1.5 MB of access log at 180 bytes a line. */
    public static final int DEFAULT_CAPACITY = 8192;
    /** How long {@link #close()} waits for the writer to finish the queue before giving up on it. */
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final int MAX_BATCH = 1024;
    private static final long GATHER_MILLIS = 2;
    private static final long GATHER_NANOS = GATHER_MILLIS * 1_000_000;
    /** Under steady traffic the queue is never found empty: flush at least this often anyway. */
    private static final long MAX_UNFLUSHED_NANOS = 100_000_000;
    private static final System.Logger LOG = System.getLogger("io.jhttpd.access");
    /** Put in the queue by close: the writer stops when it takes it. Compared by identity. */
    private static final String STOP = new String("stop");

    private final ArrayBlockingQueue<String> queue;
    private final OutputStream out;
    private final boolean ownsStream;
    private final Thread writer;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final ReentrantLock progressLock = new ReentrantLock();
    private final Condition progress = progressLock.newCondition();
    /** Lines the writer has finished with (written and flushed, or lost to a failure); guarded by progressLock. */
    private long settled;
    private volatile boolean flushWanted;
    /** Lines written to the buffer since its last flush; the writer thread's own. */
    private int unflushed;
    /** When the buffer was last flushed; the writer thread's own. */
    private long lastFlush = System.nanoTime();
    /** Whether the last write failed, so that a run of failures is logged once; the writer thread's own. */
    private boolean failing;
    private volatile boolean closing;

    private AsyncLogWriter(OutputStream out, boolean ownsStream, int capacity, String name) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.ownsStream = ownsStream;
        this.writer = Thread.ofPlatform().name(name).daemon(true).start(this::run);
    }

    /** Writes to {@code out} (such as {@code System.out}), which {@link #close()} flushes but does not close. */
    public static AsyncLogWriter toStream(OutputStream out, int capacity) {
        return new AsyncLogWriter(out, false, capacity, "jhttpd-log-writer");
    }

    /** Appends to {@code file}, creating it if absent; {@link #close()} closes it. */
    public static AsyncLogWriter toFile(Path file, int capacity) throws IOException {
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        return new AsyncLogWriter(out, true, capacity, "jhttpd-log-writer " + file.getFileName());
    }

    /** Queues {@code line}; drops and counts it when the queue is full or the writer closed. Never blocks. */
    @Override
    public void accept(String line) {
        if (!closing && queue.offer(line)) {
            accepted.increment();
        } else {
            dropped.increment();
        }
    }

    /** Lines dropped so far: offered to a full queue or after close, or lost to a failed write. */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * Waits until every line accepted before this call has been written and flushed (or lost to a
     * failure), for at most {@code timeout}.
     *
     * @return true when it was; false on timeout
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = accepted.sum();
        long deadline = System.nanoTime() + timeout.toNanos();
        progressLock.lock();
        try {
            while (settled < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !writer.isAlive()) {
                    return false;
                }
                flushWanted = true;
                progress.awaitNanos(left);
            }
            return true;
        } finally {
            progressLock.unlock();
        }
    }

    /**
     * Stops taking lines, waits up to 5 s for the writer to write what is queued, flushes, and closes
     * the file. A writer stuck on a dead disk is left behind (it is a daemon thread). Closing twice is
     * harmless.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        // A full queue has no room for STOP; the writer then sees the flag once it has emptied the queue.
        queue.offer(STOP);
        try {
            writer.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "log writer still blocked after {0} ms; leaving {1} lines",
                    CLOSE_WAIT_MILLIS, queue.size());
            return;
        }
        for (String left = queue.poll(); left != null; left = queue.poll()) {
            if (left != STOP) {
                dropped.increment(); // offered in the moment close began
            }
        }
        if (ownsStream) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the log file failed: {0}", e.toString());
            }
        }
    }

    /**
     * Takes lines as they come while traffic is light; under load, lets them gather for
     * {@value #GATHER_MILLIS} ms between batches, so that a busy server pays one wake-up and one
     * {@code write} per batch instead of a context switch and a system call per line (without that
     * pause, logging halved the requests a core could serve). The stream is flushed when the queue is
     * found empty after a pause, and at least every 100 ms, so a line reaches the file soon.
     */
    private void run() {
        List<String> batch = new ArrayList<>(MAX_BATCH);
        boolean stop = false;
        while (!stop && !(closing && queue.isEmpty())) {
            try {
                batch.add(queue.take()); // idle: sleep until the next line
            } catch (InterruptedException e) {
                return; // nobody interrupts it; if someone does, stop
            }
            while (!stop) {
                queue.drainTo(batch, MAX_BATCH - batch.size());
                stop = writeBatch(batch);
                // A large batch means lines come faster than a pause would let the queue hold them.
                boolean large = batch.size() >= MAX_BATCH / 4;
                batch.clear();
                if (!large && !stop && !closing && !flushWanted) {
                    LockSupport.parkNanos(GATHER_NANOS);
                }
                boolean empty = queue.isEmpty();
                if (stop || empty || flushWanted || System.nanoTime() - lastFlush > MAX_UNFLUSHED_NANOS) {
                    flushBatches();
                }
                if (empty) {
                    break;
                }
            }
        }
        flushBatches();
    }

    /** Writes the lines into the buffer; returns whether {@link #STOP} was among them. */
    private boolean writeBatch(List<String> batch) {
        boolean stop = false;
        int lines = 0;
        for (String line : batch) {
            if (line == STOP) {
                stop = true;
            } else {
                lines++;
            }
        }
        if (lines == 0) {
            return stop;
        }
        try {
            for (String line : batch) {
                if (line != STOP) {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
            }
            unflushed += lines;
            failing = false;
        } catch (IOException e) {
            lost(lines, e);
        }
        return stop;
    }

    /** Flushes what the batches wrote, and lets {@link #flush(Duration)} callers go on. */
    private void flushBatches() {
        lastFlush = System.nanoTime();
        try {
            out.flush();
            failing = false;
        } catch (IOException e) {
            // What was written since the last flush may or may not have reached the file: count it lost.
            lost(unflushed, e);
            unflushed = 0;
        }
        settle(unflushed);
        unflushed = 0;
    }

    private void lost(int lines, IOException failure) {
        dropped.add(lines);
        settle(lines);
        if (!failing) {
            LOG.log(System.Logger.Level.WARNING, "writing the log failed; dropping lines: {0}", failure.toString());
        }
        failing = true;
    }

    private void settle(int lines) {
        progressLock.lock();
        try {
            settled += lines;
            flushWanted = false;
            progress.signalAll();
        } finally {
            progressLock.unlock();
        }
    }
}
