package io.jhttpd.wire;

import io.jhttpd.Limits;

/**
 * Decides how a request's body is delimited (RFC 9112 §6.3), once its head is parsed and before any
 * handler runs. The parser has already refused TE with CL, TE on HTTP/1.0, bad lengths (400) and
 * unknown codings (501); this adds the body limit, checked on a declared length before reading (413).
 */
public final class BodyFraming {

    private BodyFraming() {
    }

    /**
     * @param continueSender sends {@code 100 Continue}, or null when the request did not ask for it
     * @throws HttpParseException 413 when Content-Length exceeds the body limit
     */
    public static RequestBody forRequest(RequestHead head, ConnectionInput input, Limits limits,
                                         RequestBody.ContinueSender continueSender) {
        RequestBody.ContinueSender sender = head.expectContinue() ? continueSender : null;
        if (head.chunked()) {
            return new ChunkedBody(input, limits.maxBodyBytes(), limits.maxTrailerBytes(), sender);
        }
        long length = head.contentLength();
        if (length > limits.maxBodyBytes()) {
            throw RequestBody.tooLarge();
        }
        if (length > 0) {
            return new FixedLengthBody(input, length, sender);
        }
        return RequestBody.empty();
    }
}
