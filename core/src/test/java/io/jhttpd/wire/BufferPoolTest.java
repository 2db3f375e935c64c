package io.jhttpd.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BufferPoolTest {

    @Test
    void handsBackAGivenArrayBeforeMakingANewOne() {
        BufferPool pool = new BufferPool(16, 2);
        byte[] first = pool.take();
        assertThat(first).hasSize(16);
        pool.give(first);
        assertThat(pool.take()).isSameAs(first);
        assertThat(pool.take()).isNotSameAs(first).hasSize(16);
    }

    @Test
    void keepsAtMostItsCapacity() {
        BufferPool pool = new BufferPool(16, 2);
        pool.give(new byte[16]);
        pool.give(new byte[16]);
        pool.give(new byte[16]);
        assertThat(pool.free()).isEqualTo(2);
    }

    @Test
    void dropsArraysOfAnotherLengthAndNull() {
        BufferPool pool = new BufferPool(16, 2);
        pool.give(new byte[32]); // a buffer that grew for a large head
        pool.give(null);         // a connection whose buffer the watchdog already gave back
        assertThat(pool.free()).isZero();
    }

    @Test
    void anUnpooledPoolKeepsNothing() {
        BufferPool pool = BufferPool.unpooled(16);
        byte[] b = pool.take();
        pool.give(b);
        assertThat(pool.free()).isZero();
        assertThat(pool.take()).isNotSameAs(b);
    }
}
