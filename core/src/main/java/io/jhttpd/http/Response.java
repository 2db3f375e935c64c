package io.jhttpd.http;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A response under construction: a status, header fields and a body. Handlers build one and return
 * it; filters may change it on the way out. The server adds the framing fields ({@code Date},
 * {@code Content-Length} or {@code Transfer-Encoding}, {@code Connection}) when it writes it.
 *
 * <pre>{@code
 * return Response.ok().text("Hello, World!");
 * return Response.of(Status.CREATED_201).header("Location", "/data/7").body(json, "application/json");
 * }</pre>
 */
public final class Response {

    /** The content type of {@link #text(String)} bodies. */
    public static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private Status status;
    private final ResponseHeaders headers = new ResponseHeaders();
    private ResponseBody body = ResponseBody.EMPTY;

    private Response(Status status) {
        this.status = status;
    }

    /** A response with {@code status}, no header fields and no body. */
    public static Response of(Status status) {
        return new Response(status);
    }

    /** A 200 response with no header fields and no body yet. */
    public static Response ok() {
        return new Response(Status.OK_200);
    }

    /** The status the response will be sent with. */
    public Status status() {
        return status;
    }

    /** Replaces the status, keeping the header fields and body. */
    public Response status(Status newStatus) {
        this.status = newStatus;
        return this;
    }

    /** The header fields, changeable until the response is returned to the server. */
    public ResponseHeaders headers() {
        return headers;
    }

    /** Sets the field {@code name}, replacing any earlier value. */
    public Response header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    /** The body; {@link ResponseBody#EMPTY} until one is set. */
    public ResponseBody body() {
        return body;
    }

    /** Replaces the body, leaving {@code Content-Type} as it is. */
    public Response body(ResponseBody newBody) {
        this.body = newBody;
        return this;
    }

    /** The bytes as the body, with their {@code Content-Type}; the array is not copied. */
    public Response body(byte[] bytes, String contentType) {
        headers.set("Content-Type", contentType);
        return body(new ResponseBody.Bytes(bytes));
    }

    /** The string encoded as UTF-8. */
    public Response body(String text, String contentType) {
        return body(text.getBytes(StandardCharsets.UTF_8), contentType);
    }

    /** A {@code text/plain; charset=utf-8} body. */
    public Response text(String text) {
        return body(text, TEXT_PLAIN);
    }

    /** The whole file, opened when the response is written, sent with sendfile. */
    public Response file(Path path, long length, String contentType) {
        headers.set("Content-Type", contentType);
        return body(new ResponseBody.FileRegion(path, 0, length));
    }

    /**
     * The whole file, opened now and sent with sendfile: the length is the open file's, and a file replaced
     * after this call (say by an upload's rename) is still sent whole, as it was when opened.
     *
     * @param path        the file
     * @param contentType the {@code Content-Type}
     * @return this response
     * @throws IOException when it cannot be opened ({@link java.nio.file.NoSuchFileException} when it is not there)
     */
    public Response file(Path path, String contentType) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            headers.set("Content-Type", contentType);
            return body(new ResponseBody.FileRegion(path, 0, channel.size(), channel));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A body of unknown length, written by {@code writer} as the response goes out. */
    public Response stream(String contentType, ResponseBody.BodyWriter writer) {
        headers.set("Content-Type", contentType);
        return body(new ResponseBody.Streamed(writer));
    }

    @Override
    public String toString() {
        return "Response[" + status + ", " + headers.size() + " headers, body length " + body.length() + "]";
    }
}
