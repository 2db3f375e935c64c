package io.jhttpd.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server runs on jhttpd's own carriers when the JVM lets it schedule virtual threads (the build
 * opens java.lang to the tests, as the server's jar does), unless {@code -Djhttpd.scheduler=jdk} asks
 * for the JDK's scheduler; the build's second test run opens nothing and gets the JDK's.
 */
class SchedulingTest {

    @Test
    void aNewServerGetsTheCarriersThisRunAllows() {
        Scheduling scheduling = Scheduling.forNewServer();
        if ("jdk".equals(System.getProperty(Scheduling.PROPERTY))) {
            // The build's second run: java.lang is not opened, as in a JVM that embeds the library plainly.
            assertThat(SchedulerAccess.available()).isFalse();
            assertThat(scheduling).isInstanceOf(SharedCarriers.class);
        } else {
            assertThat(SchedulerAccess.available()).as("the build opens java.lang to the tests").isTrue();
            assertThat(scheduling).isInstanceOf(OwnCarriers.class);
        }
        scheduling.stop();
    }

    /**
     * On its own carriers a server's connections wait in the carriers' epoll where the run opens
     * sun.nio.ch (the build's first run does, as the server's jar does), unless {@code -Djhttpd.poller=jdk}
     * asks for the JDK's poller; the build's third run opens only java.lang, and gets the JDK's poller.
     */
    @Test
    void connectionsOnTheOwnCarriersWaitInTheirEpollWhereSunNioChIsOpened() {
        Scheduling scheduling = Scheduling.forNewServer();
        if (scheduling instanceof OwnCarriers) {
            boolean opened = Object.class.getModule().isOpen("sun.nio.ch", SchedulingTest.class.getModule());
            boolean jdkPollerAskedFor = "jdk".equals(System.getProperty(NativeEpoll.PROPERTY));
            assertThat(scheduling.poller() != null).isEqualTo(opened && !jdkPollerAskedFor);
        } else {
            assertThat(scheduling.poller()).isNull();
        }
        scheduling.stop();
    }

    @Test
    void thePropertyAsksForTheJdksSchedulerEvenWhereOursIsAllowed() {
        String before = System.getProperty(Scheduling.PROPERTY);
        System.setProperty(Scheduling.PROPERTY, "jdk");
        try {
            Scheduling scheduling = Scheduling.forNewServer();
            assertThat(scheduling).isInstanceOf(SharedCarriers.class);
            scheduling.stop();
        } finally {
            if (before == null) {
                System.clearProperty(Scheduling.PROPERTY);
            } else {
                System.setProperty(Scheduling.PROPERTY, before);
            }
        }
    }

    @Test
    void sharedCarriersYieldOnlyWhileTheGateIsOpen() {
        SharedCarriers shared = SharedCarriers.create();
        assertThat(shared.yieldBeforeRead(0)).isFalse();
        assertThat(shared.yieldBeforeRead(YieldGate.SHUT_NANOS)).isTrue();
        shared.stop();
    }
}
