package io.jhttpd.app.ops;

import io.jhttpd.http.Method;
import io.jhttpd.http.Status;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    @Test
    void writesEverySeriesInTheTextFormatExactly() {
        Metrics metrics = new Metrics(() -> 7);
        metrics.connectionOpened(CLIENT);
        metrics.connectionOpened(CLIENT);
        metrics.connectionClosed(CLIENT);
        metrics.connectionRejected(CLIENT);
        metrics.acceptFailed(new IOException("Too many open files"));
        metrics.requestStarted();
        metrics.requestStarted();
        metrics.requestCompleted(Method.GET, Status.OK_200, 5_000_000, 40, 120);         // on the 5 ms bound
        metrics.requestStarted();
        metrics.requestCompleted(null, Status.BAD_REQUEST_400, 5_000_001, 10, 90);       // just above it
        metrics.storeError();
        assertThat(metrics.exposition()).isEqualTo("""
                # HELP jhttpd_requests_total Requests answered, by method and status.
                # TYPE jhttpd_requests_total counter
                jhttpd_requests_total{method="GET",status="200"} 1
                jhttpd_requests_total{method="OTHER",status="400"} 1
                # HELP jhttpd_request_duration_seconds Time from a request's parsed head to its response handed to the socket.
                # TYPE jhttpd_request_duration_seconds histogram
                jhttpd_request_duration_seconds_bucket{le="0.005"} 1
                jhttpd_request_duration_seconds_bucket{le="0.01"} 2
                jhttpd_request_duration_seconds_bucket{le="0.025"} 2
                jhttpd_request_duration_seconds_bucket{le="0.05"} 2
                jhttpd_request_duration_seconds_bucket{le="0.1"} 2
                jhttpd_request_duration_seconds_bucket{le="0.25"} 2
                jhttpd_request_duration_seconds_bucket{le="0.5"} 2
                jhttpd_request_duration_seconds_bucket{le="1"} 2
                jhttpd_request_duration_seconds_bucket{le="2.5"} 2
                jhttpd_request_duration_seconds_bucket{le="5"} 2
                jhttpd_request_duration_seconds_bucket{le="10"} 2
                jhttpd_request_duration_seconds_bucket{le="+Inf"} 2
                jhttpd_request_duration_seconds_sum 0.010000001
                jhttpd_request_duration_seconds_count 2
                # HELP jhttpd_requests_in_flight Requests started and not yet answered.
                # TYPE jhttpd_requests_in_flight gauge
                jhttpd_requests_in_flight 1
                # HELP jhttpd_connections_open Connections open now.
                # TYPE jhttpd_connections_open gauge
                jhttpd_connections_open 1
                # HELP jhttpd_connections_total Connections accepted and served.
                # TYPE jhttpd_connections_total counter
                jhttpd_connections_total 2
                # HELP jhttpd_connections_rejected_total Connections refused with 503 past the connection cap.
                # TYPE jhttpd_connections_rejected_total counter
                jhttpd_connections_rejected_total 1
                # HELP jhttpd_accept_failures_total Failed accepts, such as running out of file descriptors.
                # TYPE jhttpd_accept_failures_total counter
                jhttpd_accept_failures_total 1
                # HELP jhttpd_request_bytes_total Request bytes received: heads and bodies with their framing.
                # TYPE jhttpd_request_bytes_total counter
                jhttpd_request_bytes_total 50
                # HELP jhttpd_response_bytes_total Response bytes sent: heads and bodies.
                # TYPE jhttpd_response_bytes_total counter
                jhttpd_response_bytes_total 210
                # HELP jhttpd_store_errors_total Requests the data store failed, each answered 503.
                # TYPE jhttpd_store_errors_total counter
                jhttpd_store_errors_total 1
                # HELP jhttpd_access_log_dropped_total Access log lines dropped because the log could not keep up.
                # TYPE jhttpd_access_log_dropped_total counter
                jhttpd_access_log_dropped_total 7
                """);
    }

    @Test
    void aDurationAboveTheLastBoundLandsOnlyInInf() {
        Metrics metrics = new Metrics(() -> 0);
        metrics.requestStarted();
        metrics.requestCompleted(Method.POST, Status.CREATED_201, 10_000_000_001L, 0, 0);
        assertThat(metrics.exposition())
                .contains("jhttpd_request_duration_seconds_bucket{le=\"10\"} 0\n")
                .contains("jhttpd_request_duration_seconds_bucket{le=\"+Inf\"} 1\n")
                .contains("jhttpd_request_duration_seconds_sum 10.000000001\n");
    }

    @Test
    void eachMethodAndStatusIsItsOwnSeriesInMethodThenStatusOrder() {
        Metrics metrics = new Metrics(() -> 0);
        for (Method method : new Method[] {Method.DELETE, Method.GET, Method.GET, Method.HEAD}) {
            metrics.requestStarted();
            metrics.requestCompleted(method, Status.of(method == Method.DELETE ? 599 : 100), 0, 0, 0);
        }
        assertThat(metrics.exposition()).contains("""
                jhttpd_requests_total{method="GET",status="100"} 2
                jhttpd_requests_total{method="HEAD",status="100"} 1
                jhttpd_requests_total{method="DELETE",status="599"} 1
                """);
        assertThat(metrics.requestsInFlight()).isZero();
    }
}
