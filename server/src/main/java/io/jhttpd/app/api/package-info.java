/**
 * The app's resources, one class per resource, each registering its routes on the {@code Router}.
 * {@code App} wires them behind the filters; they use {@code io.jhttpd.app.json} and {@code io.jhttpd.app.store}.
 */
package io.jhttpd.app.api;
