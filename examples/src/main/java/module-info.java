/**
 * Programs that embed jhttpd: {@link io.jhttpd.examples.HelloWorld}, {@link io.jhttpd.examples.NotesApi}
 * (JSON, a router, a filter and an error handler) and {@link io.jhttpd.examples.StaticSite} (files with
 * gzip). Each needs only the {@code io.jhttpd} module.
 */
module io.jhttpd.examples {
    requires io.jhttpd;
}
