package io.jhttpd.app.ops;

import io.jhttpd.ServerListener;
import io.jhttpd.http.Method;
import io.jhttpd.http.Status;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's counters, fed by the core as its {@link ServerListener} and written out in the
 * Prometheus text exposition format 0.0.4 by {@link #exposition()}. Lock-free: a request costs one
 * {@link LongAdder} increment (its method and status) and two compare-and-sets on a {@link RequestTally}
 * stripe (started; completed with its latency and bytes), so connection threads never wait on a lock
 * or share a single cache line.
 *
 * <table>
 *   <caption>Series</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code jhttpd_requests_total{method,status}}</td><td>counter</td><td>requests answered; a method
 *       jhttpd does not know, or a head that could not be parsed, is {@code OTHER}</td></tr>
 *   <tr><td>{@code jhttpd_request_duration_seconds}</td><td>histogram</td><td>from the parsed head to the
 *       response handed to the socket; buckets 5 ms to 10 s</td></tr>
 *   <tr><td>{@code jhttpd_requests_in_flight}</td><td>gauge</td><td>requests started and not yet answered</td></tr>
 *   <tr><td>{@code jhttpd_connections_open}</td><td>gauge</td><td>connections open now</td></tr>
 *   <tr><td>{@code jhttpd_connections_total}</td><td>counter</td><td>connections accepted and served</td></tr>
 *   <tr><td>{@code jhttpd_connections_rejected_total}</td><td>counter</td><td>connections refused with 503
 *       past the connection cap</td></tr>
 *   <tr><td>{@code jhttpd_accept_failures_total}</td><td>counter</td><td>failed accepts (out of file
 *       descriptors)</td></tr>
 *   <tr><td>{@code jhttpd_request_bytes_total}</td><td>counter</td><td>request bytes received: heads and bodies
 *       with their framing</td></tr>
 *   <tr><td>{@code jhttpd_response_bytes_total}</td><td>counter</td><td>response bytes sent: heads and
 *       bodies</td></tr>
 *   <tr><td>{@code jhttpd_store_errors_total}</td><td>counter</td><td>requests the data store failed (each a
 *       503)</td></tr>
 *   <tr><td>{@code jhttpd_access_log_dropped_total}</td><td>counter</td><td>access log lines dropped because
 *       the log could not keep up (or failed)</td></tr>
 * </table>
 *
 * <p>Label cardinality is bounded by construction: ten method values (nine methods and {@code OTHER}) times
 * the status codes 100..599 that actually occur. A refused connection's 503 is counted as a rejection, not
 * as a request.
 *
 * <pre>{@code
 * Metrics metrics = new Metrics(accessLog::dropped);
 * HttpServer server = HttpServer.start(config.withListener(metrics), handler);
 * String text = metrics.exposition();
 * }</pre>
 */
public final class Metrics implements ServerListener {

    /** The content type of {@link #exposition()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Upper bounds of the latency buckets, in seconds (Prometheus's defaults), as written in {@code le}. */
    private static final String[] BUCKET_LABELS = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
            "5", "10"};
    private static final long[] BUCKET_NANOS = {5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L, 100_000_000L,
            250_000_000L, 500_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L};
    private static final Method[] METHODS = Method.values();
    private static final int OTHER = METHODS.length;
    private static final int MIN_STATUS = 100;
    private static final int STATUSES = 500;

    /** One counter per (method or OTHER, status 100..599), made on first use. */
    private final AtomicReferenceArray<LongAdder> requests = new AtomicReferenceArray<>((OTHER + 1) * STATUSES);
    /** Started, completed, latency per bucket (not cumulative; the last above every bound), bytes. */
    private final RequestTally tally = new RequestTally(BUCKET_NANOS.length + 1);
    private final LongAdder openConnections = new LongAdder();
    private final LongAdder connections = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder acceptFailures = new LongAdder();
    private final LongAdder storeErrors = new LongAdder();
    private final LongSupplier accessLogDropped;

    /** @param accessLogDropped the access log's dropped lines ({@code () -> 0} when there is no log) */
    public Metrics(LongSupplier accessLogDropped) {
        this.accessLogDropped = accessLogDropped;
    }

    // ---- the listener ----

    @Override
    public void connectionOpened(InetSocketAddress remote) {
        connections.increment();
        openConnections.increment();
    }

    @Override
    public void connectionClosed(InetSocketAddress remote) {
        openConnections.decrement();
    }

    @Override
    public void connectionRejected(InetSocketAddress remote) {
        rejected.increment();
    }

    @Override
    public void acceptFailed(IOException failure) {
        acceptFailures.increment();
    }

    @Override
    public void requestStarted() {
        tally.started();
    }

    @Override
    public void requestCompleted(Method method, Status status, long durationNanos, long bytesRead,
                                 long bytesWritten) {
        requestCounter(method == null ? OTHER : method.ordinal(), status.code()).increment();
        tally.completed(bucket(durationNanos), durationNanos, bytesRead, bytesWritten);
    }

    /** A request the data store failed (DataRoutes answers it 503). */
    public void storeError() {
        storeErrors.increment();
    }

    private LongAdder requestCounter(int method, int code) {
        int index = method * STATUSES + Math.clamp(code - MIN_STATUS, 0, STATUSES - 1);
        LongAdder counter = requests.get(index);
        if (counter == null) {
            LongAdder made = new LongAdder();
            counter = requests.compareAndExchange(index, null, made);
            if (counter == null) {
                counter = made;
            }
        }
        return counter;
    }

    private static int bucket(long nanos) {
        int i = 0;
        while (i < BUCKET_NANOS.length && nanos > BUCKET_NANOS[i]) {
            i++;
        }
        return i;
    }

    // ---- reading ----

    /** Requests started and not yet answered. */
    public long requestsInFlight() {
        RequestTally.Stripe sum = tally.sum();
        return sum.started - sum.completed;
    }

    /** Connections open now. */
    public long openConnections() {
        return openConnections.sum();
    }

    /** Every series in the Prometheus text format 0.0.4, one scrape's worth. */
    public String exposition() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "jhttpd_requests_total", "counter", "Requests answered, by method and status.");
        for (int m = 0; m <= OTHER; m++) {
            String method = m == OTHER ? "OTHER" : METHODS[m].name();
            for (int s = 0; s < STATUSES; s++) {
                LongAdder counter = requests.get(m * STATUSES + s);
                if (counter != null) {
                    out.append("jhttpd_requests_total{method=\"").append(method).append("\",status=\"")
                            .append(s + MIN_STATUS).append("\"} ").append(counter.sum()).append('\n');
                }
            }
        }
        RequestTally.Stripe sum = tally.sum();
        histogram(out, sum);
        gauge(out, "jhttpd_requests_in_flight", "Requests started and not yet answered.", sum.started - sum.completed);
        gauge(out, "jhttpd_connections_open", "Connections open now.", openConnections.sum());
        counter(out, "jhttpd_connections_total", "Connections accepted and served.", connections.sum());
        counter(out, "jhttpd_connections_rejected_total", "Connections refused with 503 past the connection cap.",
                rejected.sum());
        counter(out, "jhttpd_accept_failures_total", "Failed accepts, such as running out of file descriptors.",
                acceptFailures.sum());
        counter(out, "jhttpd_request_bytes_total", "Request bytes received: heads and bodies with their framing.",
                sum.bytesIn);
        counter(out, "jhttpd_response_bytes_total", "Response bytes sent: heads and bodies.", sum.bytesOut);
        counter(out, "jhttpd_store_errors_total", "Requests the data store failed, each answered 503.",
                storeErrors.sum());
        counter(out, "jhttpd_access_log_dropped_total", "Access log lines dropped because the log could not keep up.",
                accessLogDropped.getAsLong());
        return out.toString();
    }

    /** {@link #exposition()} as the bytes of a response body. */
    public byte[] expositionBytes() {
        return exposition().getBytes(StandardCharsets.UTF_8);
    }

    private static void histogram(StringBuilder out, RequestTally.Stripe sum) {
        String name = "jhttpd_request_duration_seconds";
        header(out, name, "histogram", "Time from a request's parsed head to its response handed to the socket.");
        long cumulative = 0;
        for (int i = 0; i < sum.buckets.length; i++) {
            cumulative += sum.buckets[i];
            String le = i < BUCKET_LABELS.length ? BUCKET_LABELS[i] : "+Inf";
            out.append(name).append("_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
        }
        out.append(name).append("_sum ").append(sum.durationNanos / 1e9).append('\n');
        out.append(name).append("_count ").append(cumulative).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, "counter", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        header(out, name, "gauge", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
