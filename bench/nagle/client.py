#!/usr/bin/env python3
"""A client with Nagle's algorithm on (no TCP_NODELAY) that writes a request in pieces, as many naive
clients do: the head, then the body; or a head line by line; or a chunked body chunk by chunk. Each
piece after the first waits for the server to acknowledge the one before, so a server that delays its
ACK (40 ms on Linux) delays every such request by as much.

    client.py PORT MODE [COUNT]     MODE: body | chunked | head

Prints the median and the max milliseconds per request over COUNT requests on one keep-alive
connection (the first, which warms the server up, not counted)."""
import socket, statistics, sys, time

port, mode = int(sys.argv[1]), sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 20
PIECES = {
    "body": [b"POST /data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n",
             b'{"a":1}'],
    "chunked": [b"POST /data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                b'5\r\n{"a":\r\n', b"2\r\n1}\r\n", b"0\r\n\r\n"],
    "head": [b"GET / HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"],
}[mode]

s = socket.create_connection(("127.0.0.1", port))
buf = b""


def exchange():
    global buf
    for piece in PIECES:
        s.sendall(piece)
    while b"\r\n\r\n" not in buf:
        buf += s.recv(65536)
    head, _, buf = buf.partition(b"\r\n\r\n")
    fields = [line.lower() for line in head.split(b"\r\n")[1:]]
    if b"transfer-encoding: chunked" in fields:
        while True:
            while b"\r\n" not in buf:
                buf += s.recv(65536)
            line, _, buf = buf.partition(b"\r\n")
            size = int(line.split(b";")[0], 16)
            if size == 0:  # the last chunk, then trailer lines (none, usually) and an empty line
                while not (buf.startswith(b"\r\n") or b"\r\n\r\n" in buf):
                    buf += s.recv(65536)
                buf = buf[2:] if buf.startswith(b"\r\n") else buf.partition(b"\r\n\r\n")[2]
                return
            while len(buf) < size + 2:
                buf += s.recv(65536)
            buf = buf[size + 2:]
    length = next(int(line.split(b":")[1]) for line in fields if line.startswith(b"content-length:"))
    while len(buf) < length:
        buf += s.recv(65536)
    buf = buf[length:]


exchange()
times = []
for _ in range(count):
    start = time.perf_counter()
    exchange()
    times.append((time.perf_counter() - start) * 1000)
print(f"{mode:8} median {statistics.median(times):6.2f} ms   max {max(times):6.2f} ms   ({count} requests)")
