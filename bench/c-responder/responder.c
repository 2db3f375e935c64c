/* Tiny epoll HTTP responder: the "speed of light" reference for the plaintext scenarios.
 * Answers every complete request (each "\r\n\r\n" seen; pipelining works, bodies are not parsed)
 * with a fixed 200 "Hello, World!". Single-threaded, level-triggered epoll, non-blocking sockets.
 * Build: gcc -O2 -o responder responder.c    Run: ./responder --port N [--static DIR (ignored)] */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_EVENTS 512
#define MAX_PENDING 64 /* responses written per read batch: 64 * 51 bytes fits a small stack buffer */

static const char RESPONSE[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";

/* per-fd state: how many bytes of "\r\n\r\n" matched at the end of the previous read */
static unsigned char matched[1 << 20];

static int count_requests(int fd, const char *buf, ssize_t n) {
    static const char END[] = "\r\n\r\n";
    int m = matched[fd], count = 0;
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == END[m]) {
            if (++m == 4) { count++; m = 0; }
        } else {
            m = buf[i] == '\r' ? 1 : 0;
        }
    }
    matched[fd] = (unsigned char)m;
    return count;
}

static void close_conn(int ep, int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    matched[fd] = 0;
    close(fd);
}

int main(int argc, char **argv) {
    int port = 8080;
    for (int i = 1; i + 1 < argc; i += 2)
        if (strcmp(argv[i], "--port") == 0) port = atoi(argv[i + 1]);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 4096) < 0) {
        perror("bind/listen");
        return 1;
    }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd}, events[MAX_EVENTS];
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);

    static char buf[65536], out[MAX_PENDING * sizeof RESPONSE];
    const size_t rlen = sizeof RESPONSE - 1;
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == lfd) {
                int c;
                while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (c >= (int)sizeof matched) { close(c); continue; }
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
                }
                continue;
            }
            ssize_t r = read(fd, buf, sizeof buf);
            if (r <= 0) {
                if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
                close_conn(ep, fd);
                continue;
            }
            int reqs = count_requests(fd, buf, r);
            while (reqs > 0) { /* responses are tiny: a blocking-ish retry loop on EAGAIN is acceptable here */
                int k = reqs < MAX_PENDING ? reqs : MAX_PENDING;
                for (int j = 0; j < k; j++) memcpy(out + j * rlen, RESPONSE, rlen);
                size_t len = k * rlen, off = 0;
                while (off < len) {
                    ssize_t w = write(fd, out + off, len - off);
                    if (w < 0 && errno == EAGAIN) continue;
                    if (w < 0) { close_conn(ep, fd); reqs = 0; break; }
                    off += (size_t)w;
                }
                reqs -= k;
            }
        }
    }
}
