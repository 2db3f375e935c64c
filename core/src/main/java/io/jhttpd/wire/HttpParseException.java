package io.jhttpd.wire;

import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Status;

/**
 * A request whose bytes break the grammar or a limit. After it the byte stream has no trustworthy
 * boundary (RFC 9112 §2.2, §11.2), so the connection always closes after the answer.
 */
public final class HttpParseException extends HttpException {

    private Method requestMethod;

    public HttpParseException(Status status, String publicMessage) {
        super(status, publicMessage, false, null);
    }

    HttpParseException(Status status, String publicMessage, Throwable cause) {
        super(status, publicMessage, false, cause);
    }

    /**
     * The method of the refused request, when its request line began with one we know; else null.
     * A refusal of a HEAD request is answered without content (RFC 9110 §9.3.2).
     */
    public Method requestMethod() {
        return requestMethod;
    }

    HttpParseException requestMethod(Method method) {
        requestMethod = method;
        return this;
    }

    static HttpParseException badRequest(String publicMessage) {
        return new HttpParseException(Status.BAD_REQUEST_400, publicMessage);
    }
}
