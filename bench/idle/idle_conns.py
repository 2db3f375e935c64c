#!/usr/bin/env python3
"""Idle-connection test: open N keep-alive connections, each makes one GET / and then stays open.

Reports (one line, key=value): the server's RSS before and after (summed over the server's process
tree), bytes per held connection (RSS delta, and for a JVM the live heap after a full GC), how many connections got a 200 and how many the server still
holds open at the end, and the time of fresh requests (new connection + GET /) made while the N
connections are held (median of 5, and the first one).

Usage: idle_conns.py --port P --pid SERVER_PID [--conns 10000] [--host 127.0.0.1] [--requests 1]

--requests N makes each connection send N requests back to back (each after the previous response)
before it goes idle: a burst, then silence, as a browser does.
"""
import argparse
import os
import selectors
import socket
import statistics
import subprocess
import time

REQUEST = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"


def rss_kib(pid):
    """VmRSS of pid plus all its descendants (nginx master + worker), in KiB."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def is_jvm(pid):
    """Whether pid runs java. jcmd attaches by sending SIGQUIT, which a JVM answers and nginx takes
    as the order to quit: never point it at anything else."""
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe")) == "java"
    except OSError:
        return False


def heap_used_kib(pid):
    """Live Java heap after a full GC (jcmd GC.run, then GC.heap_info), in KiB; None if not a JVM."""
    jcmd = os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "jcmd")
    if not os.path.exists(jcmd) or not is_jvm(pid):
        return None
    try:
        subprocess.run([jcmd, str(pid), "GC.run"], capture_output=True, timeout=60, check=True)
        out = subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, timeout=60,
                             check=True, text=True).stdout
    except (subprocess.SubprocessError, OSError):
        return None
    used = 0
    found = False
    for line in out.splitlines():
        words = line.split()
        # generation lines: "<name> total 1234K, used 567K [...]"; skip Metaspace and class space
        if "total" in words and "used" in words and not line.strip().startswith(("Metaspace", "class space")):
            used += int(words[words.index("used") + 1].rstrip("K,"))
            found = True
    return used if found else None


def response_complete(buf):
    head_end = buf.find(b"\r\n\r\n")
    if head_end < 0:
        return False
    length = 0
    for line in buf[:head_end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return len(buf) >= head_end + 4 + length


def open_connections(host, port, n, in_flight=256, timeout=120.0, requests=1):
    """Open n connections, at most in_flight being set up at once, each making `requests` requests in a
    row; returns (held sockets, ok, errors)."""
    sel = selectors.DefaultSelector()
    held, ok, errors, started = [], 0, 0, 0
    deadline = time.monotonic() + timeout
    while (started < n or sel.get_map()) and time.monotonic() < deadline:
        while started < n and len(sel.get_map()) < in_flight:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex((host, port))
            sel.register(s, selectors.EVENT_WRITE, {"buf": b"", "left": requests})
            started += 1
        for key, mask in sel.select(timeout=1.0):
            s, state = key.fileobj, key.data
            try:
                if mask & selectors.EVENT_WRITE:
                    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if err:
                        raise OSError(err, os.strerror(err))
                    s.sendall(REQUEST)
                    sel.modify(s, selectors.EVENT_READ, state)
                    continue
                chunk = s.recv(4096)
                if not chunk:
                    raise OSError("closed before the response")
                state["buf"] += chunk
                if response_complete(state["buf"]) and state["left"] > 1 and state["buf"].startswith(b"HTTP/1.1 200"):
                    state["left"] -= 1
                    state["buf"] = b""
                    s.sendall(REQUEST)
                    continue
                if response_complete(state["buf"]):
                    sel.unregister(s)
                    held.append(s)
                    if state["buf"].startswith(b"HTTP/1.1 200"):
                        ok += 1
                    else:
                        errors += 1
            except OSError:
                sel.unregister(s)
                s.close()
                errors += 1
    for key in list(sel.get_map().values()):  # timed out
        key.fileobj.close()
        errors += 1
    sel.close()
    return held, ok, errors


def fresh_request_ms(host, port):
    t0 = time.perf_counter()
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(REQUEST)
        buf = b""
        while not response_complete(buf):
            chunk = s.recv(4096)
            if not chunk:
                raise OSError("closed before the response")
            buf += chunk
    if not buf.startswith(b"HTTP/1.1 200"):
        # a server that refuses past a connection cap answers fast, but did not serve the request
        raise OSError("fresh request not answered 200: " + buf.split(b"\r\n", 1)[0].decode("latin-1"))
    return (time.perf_counter() - t0) * 1000.0


def still_open(sockets):
    count = 0
    for s in sockets:
        try:
            if s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                continue  # orderly close by the server
        except BlockingIOError:
            pass  # nothing to read: still open
        except OSError:
            continue
        count += 1
    return count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--conns", type=int, default=10000)
    ap.add_argument("--requests", type=int, default=1)
    a = ap.parse_args()

    heap_before = heap_used_kib(a.pid)
    before = rss_kib(a.pid)
    t0 = time.monotonic()
    held, ok, errors = open_connections(a.host, a.port, a.conns, requests=a.requests)
    open_s = time.monotonic() - t0
    time.sleep(2.5)  # let the server settle (jhttpd trims idle connections' buffers after a second)
    after = rss_kib(a.pid)
    heap_after = heap_used_kib(a.pid)
    fresh = []
    try:
        for _ in range(5):
            fresh.append(fresh_request_ms(a.host, a.port))
    except OSError:
        errors += 1
    alive = still_open(held)
    for s in held:
        s.close()
    per_conn = (after - before) * 1024 / max(ok, 1)
    heap_per_conn = ("-" if heap_before is None or heap_after is None
                     else f"{(heap_after - heap_before) * 1024 / max(ok, 1):.0f}")
    print(f"conns={a.conns} ok={ok} errors={errors} still_open={alive} open_s={open_s:.2f} "
          f"rss_before_kib={before} rss_after_kib={after} bytes_per_conn={per_conn:.0f} "
          f"heap_bytes_per_conn={heap_per_conn} "
          f"fresh_first_ms={fresh[0] if fresh else float('nan'):.2f} "
          f"fresh_median_ms={statistics.median(fresh) if fresh else float('nan'):.2f}")


if __name__ == "__main__":
    main()
