package io.jhttpd.wire;

import io.jhttpd.http.HttpException;
import io.jhttpd.http.Status;

/**
 * A request whose bytes break the grammar or a limit. After it the byte stream has no trustworthy
 * boundary (RFC 9112 §2.2, §11.2), so the connection always closes after the answer.
 */
public final class HttpParseException extends HttpException {

    public HttpParseException(Status status, String publicMessage) {
        super(status, publicMessage, false, null);
    }

    static HttpParseException badRequest(String publicMessage) {
        return new HttpParseException(Status.BAD_REQUEST_400, publicMessage);
    }
}
