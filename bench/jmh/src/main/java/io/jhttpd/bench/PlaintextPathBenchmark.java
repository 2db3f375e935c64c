package io.jhttpd.bench;

import io.jhttpd.Limits;
import io.jhttpd.http.Method;
import io.jhttpd.http.Response;
import io.jhttpd.http.Version;
import io.jhttpd.wire.ConnectionInput;
import io.jhttpd.wire.ConnectionOutput;
import io.jhttpd.wire.ReadControl;
import io.jhttpd.wire.RequestHead;
import io.jhttpd.wire.ResponseWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The plaintext path without sockets: parse the head wrk sends, and write the "Hello, World!"
 * response. Run with {@code -prof gc} to see bytes allocated per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class PlaintextPathBenchmark {

    /** What wrk sends for {@code wrk http://host:8080/}. */
    static final byte[] WRK_REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A browser-like request with a dozen fields. */
    static final byte[] BROWSER_REQUEST = ("GET /static/css/site.css?v=12 HTTP/1.1\r\n"
            + "Host: example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36\r\n"
            + "Accept: text/css,*/*;q=0.1\r\n"
            + "Accept-Language: en-GB,en;q=0.9\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Referer: https://example.com/\r\n"
            + "Cookie: session=0123456789abcdef; theme=dark\r\n"
            + "Connection: keep-alive\r\n"
            + "Sec-Fetch-Dest: style\r\n"
            + "Sec-Fetch-Mode: no-cors\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "If-None-Match: \"5f-18c3a\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private ConnectionInput wrkInput;
    private ConnectionInput browserInput;
    private ResponseWriter writer;
    private ConnectionOutput output;
    private Response hello;

    @Setup
    public void setUp() {
        wrkInput = new ConnectionInput(new Replay(WRK_REQUEST), ReadControl.NONE, Limits.defaults());
        browserInput = new ConnectionInput(new Replay(BROWSER_REQUEST), ReadControl.NONE, Limits.defaults());
        output = new ConnectionOutput(new Discard());
        writer = new ResponseWriter(output, "jhttpd");
        hello = Response.ok().text("Hello, World!");
    }

    @Benchmark
    public RequestHead parseWrkRequest() throws IOException {
        return wrkInput.readHead(1_000);
    }

    @Benchmark
    public RequestHead parseBrowserRequest() throws IOException {
        return browserInput.readHead(1_000);
    }

    @Benchmark
    public ConnectionOutput writeHelloResponse() throws IOException {
        writer.write(hello, Method.GET, Version.HTTP_1_1, true);
        output.flush();
        return output;
    }

    /** Parse plus write: the engine's share of one plaintext request. */
    @Benchmark
    public ConnectionOutput parseAndWrite() throws IOException {
        RequestHead head = wrkInput.readHead(1_000);
        writer.write(hello, head.method(), head.version(), true);
        output.flush();
        return output;
    }

    /** Replays the same bytes forever, one request per read, as a keep-alive client would. */
    static final class Replay extends InputStream {
        private final byte[] request;

        Replay(byte[] request) {
            this.request = request;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = Math.min(len, request.length);
            System.arraycopy(request, 0, b, off, n);
            return n;
        }
    }

    /** A channel that accepts and drops everything. */
    static final class Discard implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
