package io.jhttpd.app.ops;

import io.jhttpd.app.store.DataStore;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Whether the server should get traffic now: not while it is stopping, and not while its data store
 * fails a {@link DataStore#ping()}. Behind {@code GET /ready}.
 *
 * <p>A check waits at most its budget (1 s by default) for the store, since a probe that times out
 * helps nobody, and a PostgreSQL pool may wait seconds for a connection while the database is down.
 * Checks that arrive while one is running share it, so a storm of probes costs the store one ping.
 *
 * <pre>{@code
 * Readiness readiness = new Readiness(store, Duration.ofSeconds(1));
 * readiness.stoppingWhen(server::isStopping);
 * String reason = readiness.notReadyReason(); // null when ready
 * }</pre>
 */
public final class Readiness {

    private static final System.Logger LOG = System.getLogger("io.jhttpd.app");

    private final DataStore store;
    private final Duration budget;
    private final AtomicReference<CompletableFuture<Void>> running = new AtomicReference<>();
    private volatile BooleanSupplier stopping = () -> false;
    private volatile boolean lastReady = true;

    public Readiness(DataStore store, Duration budget) {
        this.store = store;
        this.budget = budget;
    }

    /** Tells it how to know the server is stopping, once the server exists. */
    public void stoppingWhen(BooleanSupplier isStopping) {
        this.stopping = isStopping;
    }

    /**
     * Null when ready; otherwise why not, as fixed text safe to send to a client. A store failing for
     * the first time after being ready is logged with its cause.
     */
    public String notReadyReason() {
        if (stopping.getAsBoolean()) {
            return "The server is shutting down";
        }
        String reason = storeReason();
        boolean ready = reason == null;
        if (lastReady != ready) {
            lastReady = ready;
            LOG.log(ready ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    ready ? "the data store is ready again" : "not ready: " + reason);
        }
        return reason;
    }

    private String storeReason() {
        try {
            ping().get(budget.toNanos(), TimeUnit.NANOSECONDS);
            return null;
        } catch (TimeoutException e) {
            return "The data store did not answer in time";
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "readiness ping failed", e.getCause());
            return "The data store is unavailable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Interrupted while checking the data store";
        }
    }

    /** The ping in progress (never one already finished), or a new one on a virtual thread of its own. */
    private CompletableFuture<Void> ping() {
        while (true) {
            CompletableFuture<Void> current = running.get();
            if (current != null && !current.isDone()) {
                return current;
            }
            if (current != null) {
                // finished, and its thread has not yet taken it down: an answer from before this check
                running.compareAndSet(current, null);
                continue;
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            if (running.compareAndSet(null, mine)) {
                Thread.ofVirtual().name("jhttpd-ready-check").start(() -> {
                    try {
                        store.ping();
                        mine.complete(null);
                    } catch (Throwable t) {
                        mine.completeExceptionally(t);
                    } finally {
                        running.compareAndSet(mine, null);
                    }
                });
                return mine;
            }
        }
    }
}
