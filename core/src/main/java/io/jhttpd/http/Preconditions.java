package io.jhttpd.http;

import java.util.List;

/**
 * Conditional requests (RFC 9110 §13): evaluates a request's If-Match, If-Unmodified-Since,
 * If-None-Match and If-Modified-Since against the target's current validators, in the order of
 * §13.2.2; If-Range is asked separately by whoever serves ranges ({@link #rangeStillValid}). A handler
 * calls it after its normal checks (404 and 405 win, §13.2.1) and before it changes anything, and never
 * for OPTIONS, CONNECT or TRACE. {@link #evaluate} is for a target with a current representation (its
 * entity-tag and modification date, either may be missing); {@link #evaluateWithoutRepresentation}
 * for one without (a PUT or upload that would create it).
 *
 * <pre>{@code
 * switch (Preconditions.evaluate(request, item.etag(), Preconditions.NO_DATE)) {
 *     case NOT_MODIFIED -> { return Response.of(Status.NOT_MODIFIED_304).header("ETag", item.etag()); }
 *     case PRECONDITION_FAILED -> throw new HttpException(Status.PRECONDITION_FAILED_412, "Precondition failed");
 *     case PROCEED -> { }
 * }
 * }</pre>
 */
public final class Preconditions {

    /** What the conditions say to do. */
    public enum Outcome {
        /** Serve the request normally. */
        PROCEED,
        /** 304: the client's copy is current (GET and HEAD only). */
        NOT_MODIFIED,
        /** 412: a precondition the client set is false. */
        PRECONDITION_FAILED
    }

    /** A target without a modification date: If-Modified-Since and If-Unmodified-Since are ignored (§13.1.3, §13.1.4). */
    public static final long NO_DATE = HttpDate.INVALID;

    private Preconditions() {
    }

    /**
     * Whether the request carries a condition on an entity-tag (If-Match or If-None-Match): a handler
     * that changes state must then make its change conditional on what it evaluated.
     */
    public static boolean onEntityTag(Request request) {
        return request.headers().contains("If-Match") || request.headers().contains("If-None-Match");
    }

    /**
     * Evaluates the request's conditions for a target that has a current representation.
     *
     * @param etag               its entity-tag, quotes (and {@code W/}) included; null when it has none
     *                           (then only {@code *} matches it)
     * @param lastModifiedSecond its modification time in whole seconds since the epoch, or
     *                           {@link #NO_DATE}
     */
    public static Outcome evaluate(Request request, String etag, long lastModifiedSecond) {
        return evaluate(request.method(), request.headers(), etag, lastModifiedSecond);
    }

    /**
     * Evaluates the request's conditions for a target that has no current representation: any
     * If-Match is false (§13.1.1: not even {@code *} matches), If-None-Match is true, the dates are
     * ignored (there is none to compare).
     */
    public static Outcome evaluateWithoutRepresentation(Request request) {
        return request.headers().contains("If-Match") ? Outcome.PRECONDITION_FAILED : Outcome.PROCEED;
    }

    static Outcome evaluate(Method method, Headers request, String etag, long lastModifiedSecond) {
        String ifMatch = joined(request, "If-Match");
        if (ifMatch != null) {
            // §13.1.1: strong comparison; "*" matches since the representation exists.
            if (!anyMatches(EntityTags.parseList(ifMatch), etag, true)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else if (lastModifiedSecond != NO_DATE) {
            // §13.1.4: only without If-Match; an invalid date is ignored.
            long since = singleDate(request, "If-Unmodified-Since");
            if (since != HttpDate.INVALID && lastModifiedSecond > since) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        boolean safe = method == Method.GET || method == Method.HEAD;
        String ifNoneMatch = joined(request, "If-None-Match");
        if (ifNoneMatch != null) {
            // §13.1.2: weak comparison; true means "the client's copy is current".
            if (anyMatches(EntityTags.parseList(ifNoneMatch), etag, false)) {
                return safe ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (safe && lastModifiedSecond != NO_DATE) {
            // §13.1.3: only for GET and HEAD, only without If-None-Match, only a valid date.
            long since = singleDate(request, "If-Modified-Since");
            if (since != HttpDate.INVALID && lastModifiedSecond <= since) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether a Range request's If-Range (RFC 9110 §13.1.5) still holds: true when absent; an
     * entity-tag must match strongly (a weak tag never does); a date must equal Last-Modified exactly
     * and its second must be over before this request (§8.8.2.2: a date is weak while another version
     * can still follow within its second). Two versions written within one second earlier share a date
     * all the same; only an entity-tag tells them apart.
     */
    public static boolean rangeStillValid(Request request, String etag, long lastModifiedSecond) {
        return rangeStillValid(request.headers(), etag, lastModifiedSecond, HttpDate.nowSecond());
    }

    static boolean rangeStillValid(Headers request, String etag, long lastModifiedSecond, long nowSecond) {
        String ifRange = request.first("If-Range");
        if (ifRange == null) {
            return true;
        }
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return etag != null && EntityTags.strongMatch(ifRange, etag);
        }
        long date = HttpDate.parse(ifRange);
        return date != HttpDate.INVALID && date == lastModifiedSecond && lastModifiedSecond < nowSecond;
    }

    private static boolean anyMatches(List<String> tags, String etag, boolean strong) {
        for (String tag : tags) {
            if (tag.equals(EntityTags.ANY) || etag != null
                    && (strong ? EntityTags.strongMatch(tag, etag) : EntityTags.weakMatch(tag, etag))) {
                return true;
            }
        }
        return false;
    }

    /** Every field line of a list field, joined as one list (RFC 9110 §5.3), or null when absent. */
    private static String joined(Headers request, String name) {
        List<String> lines = request.all(name);
        return lines.isEmpty() ? null : String.join(", ", lines);
    }

    /** A date field sent exactly once, else {@link HttpDate#INVALID}. */
    private static long singleDate(Headers request, String name) {
        List<String> lines = request.all(name);
        return lines.size() == 1 ? HttpDate.parse(lines.get(0)) : HttpDate.INVALID;
    }
}
