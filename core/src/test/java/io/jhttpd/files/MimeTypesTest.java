package io.jhttpd.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MimeTypesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "index.html | text/html; charset=utf-8",
            "site.CSS   | text/css; charset=utf-8",
            "app.js     | text/javascript; charset=utf-8",
            "mod.mjs    | text/javascript; charset=utf-8",
            "data.json  | application/json; charset=utf-8",
            "a.txt      | text/plain; charset=utf-8",
            "feed.xml   | application/xml; charset=utf-8",
            "logo.svg   | image/svg+xml; charset=utf-8",
            "a.png      | image/png",
            "a.jpg      | image/jpeg",
            "a.jpeg     | image/jpeg",
            "a.gif      | image/gif",
            "a.webp     | image/webp",
            "favicon.ico| image/vnd.microsoft.icon",
            "m.wasm     | application/wasm",
            "doc.pdf    | application/pdf",
            "x.zip      | application/zip",
            "x.tar.gz   | application/gzip",
            "f.woff     | font/woff",
            "f.woff2    | font/woff2",
            "v.mp4      | video/mp4",
            "v.webm     | video/webm",
            "t.csv      | text/csv; charset=utf-8",
            "README.md  | text/markdown; charset=utf-8",
    })
    void mapsExtensionsCaseInsensitively(String name, String type) {
        assertThat(MimeTypes.forFileName(name)).isEqualTo(type);
    }

    @Test
    void unknownOrMissingExtensionIsOctetStream() {
        assertThat(MimeTypes.forFileName("Makefile")).isEqualTo("application/octet-stream");
        assertThat(MimeTypes.forFileName("a.unknownext")).isEqualTo("application/octet-stream");
        assertThat(MimeTypes.forFileName("trailingdot.")).isEqualTo("application/octet-stream");
    }

    @Test
    void textJsonJavascriptXmlAndSvgAreCompressible() {
        assertThat(MimeTypes.isCompressible("text/html; charset=utf-8")).isTrue();
        assertThat(MimeTypes.isCompressible("TEXT/PLAIN")).isTrue();
        assertThat(MimeTypes.isCompressible("application/json")).isTrue();
        assertThat(MimeTypes.isCompressible("application/problem+json")).isTrue();
        assertThat(MimeTypes.isCompressible("application/javascript")).isTrue();
        assertThat(MimeTypes.isCompressible("application/xml")).isTrue();
        assertThat(MimeTypes.isCompressible("image/svg+xml; charset=utf-8")).isTrue();
    }

    @Test
    void imagesArchivesAndUnknownAreNotCompressible() {
        assertThat(MimeTypes.isCompressible("image/png")).isFalse();
        assertThat(MimeTypes.isCompressible("application/zip")).isFalse();
        assertThat(MimeTypes.isCompressible("application/gzip")).isFalse();
        assertThat(MimeTypes.isCompressible("application/octet-stream")).isFalse();
        assertThat(MimeTypes.isCompressible("font/woff2")).isFalse();
        assertThat(MimeTypes.isCompressible(null)).isFalse();
    }

    @Test
    void theMediaTypeIsComparedWithoutItsParametersCaseOrSurroundingWhitespace() {
        assertThat(MimeTypes.isCompressible(" Application/JSON ; charset=utf-8")).isTrue();
        assertThat(MimeTypes.isCompressible("\tapplication/wasm\t")).isTrue();
        assertThat(MimeTypes.isCompressible("application/ld+JSON;profile=x")).isTrue();
        assertThat(MimeTypes.isCompressible("application/jsonx")).isFalse();
        assertThat(MimeTypes.isCompressible("application/json-seq+zip")).isFalse();
        assertThat(MimeTypes.isCompressible("image/png; note=text/plain")).isFalse();
        assertThat(MimeTypes.isCompressible("")).isFalse();
        assertThat(MimeTypes.isCompressible(" ; text/plain")).isFalse();
    }
}
