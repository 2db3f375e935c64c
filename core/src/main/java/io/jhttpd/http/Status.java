package io.jhttpd.http;

/**
 * A response status: a three-digit code and its fixed reason phrase (RFC 9110 §15).
 *
 * <p>The constants carry their code in their name ({@code NOT_FOUND_404}) so that a reader never has
 * to remember which number a name stands for. Any other code in 100..599 can be made with
 * {@link #of(int)}; its reason phrase is then empty, which RFC 9112 §4 allows.
 *
 * <pre>{@code
 * return Response.of(Status.CREATED_201).header("Location", "/data/7");
 * }</pre>
 *
 * @param code   the three-digit status code, 100..599
 * @param reason the reason phrase: fixed text, never taken from a request
 */
public record Status(int code, String reason) {

    public static final Status CONTINUE_100 = new Status(100, "Continue");
    public static final Status OK_200 = new Status(200, "OK");
    public static final Status CREATED_201 = new Status(201, "Created");
    public static final Status ACCEPTED_202 = new Status(202, "Accepted");
    public static final Status NO_CONTENT_204 = new Status(204, "No Content");
    public static final Status RESET_CONTENT_205 = new Status(205, "Reset Content");
    public static final Status PARTIAL_CONTENT_206 = new Status(206, "Partial Content");
    public static final Status MOVED_PERMANENTLY_301 = new Status(301, "Moved Permanently");
    public static final Status FOUND_302 = new Status(302, "Found");
    public static final Status SEE_OTHER_303 = new Status(303, "See Other");
    public static final Status NOT_MODIFIED_304 = new Status(304, "Not Modified");
    public static final Status TEMPORARY_REDIRECT_307 = new Status(307, "Temporary Redirect");
    public static final Status PERMANENT_REDIRECT_308 = new Status(308, "Permanent Redirect");
    public static final Status BAD_REQUEST_400 = new Status(400, "Bad Request");
    public static final Status UNAUTHORIZED_401 = new Status(401, "Unauthorized");
    public static final Status FORBIDDEN_403 = new Status(403, "Forbidden");
    public static final Status NOT_FOUND_404 = new Status(404, "Not Found");
    public static final Status METHOD_NOT_ALLOWED_405 = new Status(405, "Method Not Allowed");
    public static final Status NOT_ACCEPTABLE_406 = new Status(406, "Not Acceptable");
    public static final Status REQUEST_TIMEOUT_408 = new Status(408, "Request Timeout");
    public static final Status CONFLICT_409 = new Status(409, "Conflict");
    public static final Status GONE_410 = new Status(410, "Gone");
    public static final Status LENGTH_REQUIRED_411 = new Status(411, "Length Required");
    public static final Status PRECONDITION_FAILED_412 = new Status(412, "Precondition Failed");
    public static final Status CONTENT_TOO_LARGE_413 = new Status(413, "Content Too Large");
    public static final Status URI_TOO_LONG_414 = new Status(414, "URI Too Long");
    public static final Status UNSUPPORTED_MEDIA_TYPE_415 = new Status(415, "Unsupported Media Type");
    public static final Status RANGE_NOT_SATISFIABLE_416 = new Status(416, "Range Not Satisfiable");
    public static final Status EXPECTATION_FAILED_417 = new Status(417, "Expectation Failed");
    public static final Status UNPROCESSABLE_CONTENT_422 = new Status(422, "Unprocessable Content");
    public static final Status TOO_MANY_REQUESTS_429 = new Status(429, "Too Many Requests");
    public static final Status REQUEST_HEADER_FIELDS_TOO_LARGE_431 =
            new Status(431, "Request Header Fields Too Large");
    public static final Status INTERNAL_SERVER_ERROR_500 = new Status(500, "Internal Server Error");
    public static final Status NOT_IMPLEMENTED_501 = new Status(501, "Not Implemented");
    public static final Status BAD_GATEWAY_502 = new Status(502, "Bad Gateway");
    public static final Status SERVICE_UNAVAILABLE_503 = new Status(503, "Service Unavailable");
    public static final Status GATEWAY_TIMEOUT_504 = new Status(504, "Gateway Timeout");
    public static final Status HTTP_VERSION_NOT_SUPPORTED_505 = new Status(505, "HTTP Version Not Supported");

    private static final Status[] KNOWN = new Status[600];

    static {
        for (Status s : new Status[] {CONTINUE_100, OK_200, CREATED_201, ACCEPTED_202, NO_CONTENT_204,
                RESET_CONTENT_205, PARTIAL_CONTENT_206, MOVED_PERMANENTLY_301, FOUND_302, SEE_OTHER_303,
                NOT_MODIFIED_304, TEMPORARY_REDIRECT_307, PERMANENT_REDIRECT_308, BAD_REQUEST_400,
                UNAUTHORIZED_401, FORBIDDEN_403, NOT_FOUND_404, METHOD_NOT_ALLOWED_405, NOT_ACCEPTABLE_406,
                REQUEST_TIMEOUT_408, CONFLICT_409, GONE_410, LENGTH_REQUIRED_411, PRECONDITION_FAILED_412,
                CONTENT_TOO_LARGE_413, URI_TOO_LONG_414, UNSUPPORTED_MEDIA_TYPE_415,
                RANGE_NOT_SATISFIABLE_416, EXPECTATION_FAILED_417, UNPROCESSABLE_CONTENT_422,
                TOO_MANY_REQUESTS_429, REQUEST_HEADER_FIELDS_TOO_LARGE_431, INTERNAL_SERVER_ERROR_500,
                NOT_IMPLEMENTED_501, BAD_GATEWAY_502, SERVICE_UNAVAILABLE_503, GATEWAY_TIMEOUT_504,
                HTTP_VERSION_NOT_SUPPORTED_505}) {
            KNOWN[s.code] = s;
        }
    }

    /**
     * A status with any code; {@link #of(int)} returns the constant when there is one.
     *
     * @throws IllegalArgumentException when the code is outside 100..599 or the reason phrase holds a
     *                                  control or non-Latin-1 character
     */
    public Status {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("status code out of range 100..599: " + code);
        }
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("reason phrase holds a control or non-Latin-1 character");
            }
        }
    }

    /** The constant for {@code code} when there is one, else a status with an empty reason phrase. */
    public static Status of(int code) {
        if (code >= 100 && code < KNOWN.length && KNOWN[code] != null) {
            return KNOWN[code];
        }
        return new Status(code, "");
    }

    /** 1xx, 204 and 304 responses never carry content (RFC 9110 §15.2, §15.3.5, §15.4.5); nor does 205. */
    public boolean forbidsContent() {
        return code < 200 || code == 204 || code == 205 || code == 304;
    }

    /** Whether this is a client or server error, 4xx or 5xx. */
    public boolean isError() {
        return code >= 400;
    }

    @Override
    public String toString() {
        return code + " " + reason;
    }
}
