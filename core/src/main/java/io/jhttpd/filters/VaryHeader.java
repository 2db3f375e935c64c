package io.jhttpd.filters;

import io.jhttpd.http.ResponseHeaders;

/** Adds a field name to a response's {@code Vary} (RFC 9110 §12.5.5) without repeating one already there. */
final class VaryHeader {

    private VaryHeader() {
    }

    static void add(ResponseHeaders headers, String fieldName) {
        if (headers.hasToken("Vary", fieldName) || headers.hasToken("Vary", "*")) {
            return;
        }
        String existing = headers.first("Vary");
        if (existing == null || existing.isBlank()) {
            headers.set("Vary", fieldName);
        } else {
            headers.set("Vary", String.join(", ", headers.all("Vary")) + ", " + fieldName);
        }
    }
}
