package io.jhttpd.http;

import io.jhttpd.http.Preconditions.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9110 §13.1 and the evaluation order of §13.2.2. */
class PreconditionsTest {

    private static final String ETAG = "\"64-18f\"";
    /** Sun, 06 Nov 1994 08:49:37 GMT */
    private static final long MODIFIED = 784111777L;
    private static final String MODIFIED_TEXT = "Sun, 06 Nov 1994 08:49:37 GMT";
    private static final String EARLIER = "Sun, 06 Nov 1994 08:49:36 GMT";
    private static final String LATER = "Sun, 06 Nov 1994 08:49:38 GMT";

    private static ResponseHeaders fields(String... nameValues) {
        ResponseHeaders headers = new ResponseHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    private static Outcome get(String... nameValues) {
        return Preconditions.evaluate(Method.GET, fields(nameValues), ETAG, MODIFIED);
    }

    @Test
    void proceedsWithoutConditionalFields() {
        assertThat(get()).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifNoneMatchWithTheSameTagIs304() {
        assertThat(get("If-None-Match", ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void ifNoneMatchComparesWeakly() {
        assertThat(get("If-None-Match", "W/" + ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void ifNoneMatchFindsTheTagInAListAndAcrossFieldLines() {
        assertThat(get("If-None-Match", "\"a\", " + ETAG + ", \"b\"")).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-None-Match", "\"a\"", "If-None-Match", ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-None-Match", "\"a,b\"")).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifNoneMatchStarMatchesAnyRepresentation() {
        assertThat(get("If-None-Match", "*")).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void ifNoneMatchWithAnotherTagProceeds() {
        assertThat(get("If-None-Match", "\"other\"")).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifNoneMatchOnAnUnsafeMethodIs412() {
        assertThat(Preconditions.evaluate(Method.PUT, fields("If-None-Match", "*"), ETAG, MODIFIED))
                .isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void aTargetWithoutAnEntityTagMatchesOnlyTheStar() {
        assertThat(Preconditions.evaluate(Method.PUT, fields("If-Match", "*"), null, Preconditions.NO_DATE))
                .isEqualTo(Outcome.PROCEED);
        assertThat(Preconditions.evaluate(Method.PUT, fields("If-Match", ETAG), null, Preconditions.NO_DATE))
                .isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(Preconditions.evaluate(Method.POST, fields("If-None-Match", "*"), null, Preconditions.NO_DATE))
                .isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(Preconditions.evaluate(Method.PUT, fields("If-None-Match", ETAG), null, Preconditions.NO_DATE))
                .isEqualTo(Outcome.PROCEED);
    }

    @Test
    void datesAreIgnoredForATargetWithoutOne() {
        // RFC 9110 §13.1.3, §13.1.4: no modification date, nothing to compare.
        assertThat(Preconditions.evaluate(Method.PUT, fields("If-Unmodified-Since", EARLIER), ETAG, Preconditions.NO_DATE))
                .isEqualTo(Outcome.PROCEED);
        assertThat(Preconditions.evaluate(Method.GET, fields("If-Modified-Since", LATER), ETAG, Preconditions.NO_DATE))
                .isEqualTo(Outcome.PROCEED);
    }

    @Test
    void withoutARepresentationIfMatchFailsAndIfNoneMatchHolds() {
        assertThat(Preconditions.evaluateWithoutRepresentation(request(Method.PUT, "If-Match", "*")))
                .isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(Preconditions.evaluateWithoutRepresentation(request(Method.PUT, "If-None-Match", "*")))
                .isEqualTo(Outcome.PROCEED);
        assertThat(Preconditions.evaluateWithoutRepresentation(request(Method.PUT, "If-Unmodified-Since", EARLIER)))
                .isEqualTo(Outcome.PROCEED);
    }

    private static Request request(Method method, String... nameValues) {
        return new Request(method, "/x", null, Version.HTTP_1_1, fields(nameValues),
                new java.io.ByteArrayInputStream(new byte[0]), new java.net.InetSocketAddress("127.0.0.1", 40000));
    }

    @Test
    void ifModifiedSinceAtOrAfterLastModifiedIs304() {
        assertThat(get("If-Modified-Since", MODIFIED_TEXT)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-Modified-Since", LATER)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-Modified-Since", EARLIER)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifModifiedSinceAcceptsTheObsoleteDateForms() {
        assertThat(get("If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-Modified-Since", "Sun Nov  6 08:49:37 1994")).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void ifModifiedSinceIsIgnoredWhenInvalidOrWithIfNoneMatchOrOnPost() {
        assertThat(get("If-Modified-Since", "yesterday")).isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Modified-Since", "Sun, 6 Nov 1994 08:49:37 GMT")).isEqualTo(Outcome.PROCEED);
        assertThat(get("If-None-Match", "\"other\"", "If-Modified-Since", LATER)).isEqualTo(Outcome.PROCEED);
        assertThat(Preconditions.evaluate(Method.POST, fields("If-Modified-Since", LATER), ETAG, MODIFIED))
                .isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifMatchComparesStronglyAndFailsWith412() {
        assertThat(get("If-Match", ETAG)).isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Match", "*")).isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Match", "W/" + ETAG)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(get("If-Match", "\"other\"")).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void ifUnmodifiedSinceBeforeLastModifiedIs412() {
        assertThat(get("If-Unmodified-Since", EARLIER)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(get("If-Unmodified-Since", MODIFIED_TEXT)).isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Unmodified-Since", "garbage")).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifMatchIsEvaluatedBeforeIfNoneMatchAndOverridesIfUnmodifiedSince() {
        assertThat(get("If-Match", "\"other\"", "If-None-Match", ETAG)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(get("If-Match", ETAG, "If-Unmodified-Since", EARLIER)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifRangeHoldsOnlyForAStrongEqualTagOrTheExactDate() {
        long later = MODIFIED + 60;
        assertThat(Preconditions.rangeStillValid(fields(), ETAG, MODIFIED, later)).isTrue();
        assertThat(Preconditions.rangeStillValid(fields("If-Range", ETAG), ETAG, MODIFIED, later)).isTrue();
        assertThat(Preconditions.rangeStillValid(fields("If-Range", "W/" + ETAG), ETAG, MODIFIED, later)).isFalse();
        assertThat(Preconditions.rangeStillValid(fields("If-Range", "\"other\""), ETAG, MODIFIED, later)).isFalse();
        assertThat(Preconditions.rangeStillValid(fields("If-Range", MODIFIED_TEXT), ETAG, MODIFIED, later)).isTrue();
        assertThat(Preconditions.rangeStillValid(fields("If-Range", LATER), ETAG, MODIFIED, later)).isFalse();
        assertThat(Preconditions.rangeStillValid(fields("If-Range", "not a date"), ETAG, MODIFIED, later)).isFalse();
    }

    /** §8.8.2.2: a date is weak while its second lasts: another version may follow within it. */
    @Test
    void ifRangeWithTheDateOfTheCurrentSecondDoesNotHold() {
        assertThat(Preconditions.rangeStillValid(fields("If-Range", MODIFIED_TEXT), ETAG, MODIFIED, MODIFIED)).isFalse();
        assertThat(Preconditions.rangeStillValid(fields("If-Range", MODIFIED_TEXT), ETAG, MODIFIED, MODIFIED + 1)).isTrue();
        assertThat(Preconditions.rangeStillValid(fields("If-Range", ETAG), ETAG, MODIFIED, MODIFIED)).as("a tag stays strong").isTrue();
    }

    @Test
    void formatsImfFixdateWithATwoDigitDay() {
        assertThat(HttpDate.format(MODIFIED)).isEqualTo(MODIFIED_TEXT);
        assertThat(HttpDate.parse(MODIFIED_TEXT)).isEqualTo(MODIFIED);
    }
}
