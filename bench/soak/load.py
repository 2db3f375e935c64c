#!/usr/bin/env python3
"""Mixed load for bench/soak/run: good clients, hostile clients, and a sampler of the server process.

Good clients reuse keep-alive connections for GET /, GET /echo, POST then GET /data, GET /static/...
and POST then GET /files/...; every answer is checked (status and body). Hostile clients, in their
own threads: slowloris heads (a byte a second), stalled bodies, TCP resets mid-request and
mid-response, random garbage, oversized bodies (declared and chunked), and clients that ask for a
response and never read it. The sampler reads /proc/PID every 10 s.
"""
import argparse
import http.client
import json
import os
import random
import socket
import struct
import sys
import threading
import time
from collections import Counter

lock = threading.Lock()
counts = Counter()


def count(key, n=1):
    with lock:
        counts[key] += n


def proc_stats(pid):
    status = open(f"/proc/{pid}/status").read()
    rss_kb = int(next(l for l in status.splitlines() if l.startswith("VmRSS:")).split()[1])
    threads = int(next(l for l in status.splitlines() if l.startswith("Threads:")).split()[1])
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss_kb, threads, fds


def good_client(port, stop, seed):
    rnd = random.Random(seed)
    conn = None
    while not stop.is_set():
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            kind = rnd.choice(["root", "echo", "data", "static", "files"])
            if kind == "root":
                conn.request("GET", "/")
                r = conn.getresponse(); body = r.read()
                ok = r.status == 200 and body == b"Hello, World!"
            elif kind == "echo":
                msg = "m%d" % rnd.randrange(10**6)
                conn.request("GET", "/echo?msg=" + msg)
                r = conn.getresponse(); body = r.read()
                ok = r.status == 200 and json.loads(body)["message"] == msg
            elif kind == "data":
                item = {"n": rnd.randrange(10**6), "s": "x" * rnd.randrange(200)}
                conn.request("POST", "/data", json.dumps(item), {"Content-Type": "application/json"})
                r = conn.getresponse(); body = r.read()
                ok = r.status == 201
                if ok:
                    count("good_requests")
                    conn.request("GET", "/data/%d" % json.loads(body)["id"])
                    r = conn.getresponse(); body = r.read()
                    ok = r.status == 200 and json.loads(body)["n"] == item["n"]
                    if ok:
                        conn.request("DELETE", "/data/%d" % json.loads(body)["id"])
                        r = conn.getresponse(); r.read()
                        ok = r.status == 200
                        count("good_requests")
            elif kind == "static":
                conn.request("GET", "/static/")
                r = conn.getresponse(); body = r.read()
                ok = r.status in (200, 404)
            else:
                name = "f%d.bin" % rnd.randrange(50)
                payload = os.urandom(rnd.randrange(1, 64 * 1024))
                conn.request("POST", "/files/" + name, payload)
                r = conn.getresponse(); r.read()
                ok = r.status in (200, 201)
                if ok:
                    count("good_requests")
                    conn.request("GET", "/files/" + name)
                    r = conn.getresponse(); r.read()
                    ok = r.status == 200  # another client may have replaced it: length not checked
            count("good_requests")
            if not ok:
                count("good_wrong_answers")
            if r.getheader("Connection", "").lower() == "close":
                conn.close(); conn = None
        except Exception as e:  # noqa: BLE001 - every failure of a good request is counted
            count("good_errors")
            count("good_error:" + type(e).__name__)
            if conn is not None:
                conn.close()
            conn = None
    if conn is not None:
        conn.close()


def raw(port, timeout=15):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return s


def status_of(s):
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        return "error"
    line = data.split(b"\r\n", 1)[0]
    return line[9:12].decode("latin-1") if line.startswith(b"HTTP/1.1 ") else ("closed" if not data else "other")


def reset(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def slowloris(port, stop):
    while not stop.is_set():
        try:
            s = raw(port, timeout=30)
            head = b"GET / HTTP/1.1\r\nHost: soak\r\nX-Slow: " + b"a" * 100
            s.setblocking(True)
            answered = None
            for b in head:
                if stop.is_set():
                    break
                s.send(bytes([b]))
                s.settimeout(1.0)
                try:
                    first = s.recv(4096, socket.MSG_PEEK)
                    answered = status_of(s) if first else "closed"
                    break
                except socket.timeout:
                    pass
            count("slowloris_" + str(answered))
            s.close()
        except OSError as e:
            count("slowloris_error:" + type(e).__name__)


def stalled_body(port, stop):
    while not stop.is_set():
        try:
            s = raw(port, timeout=60)
            s.sendall(b"POST /data HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 1000\r\n\r\n{\"a\":")
            count("stalled_body_" + status_of(s))
            s.close()
        except OSError as e:
            count("stalled_body_error:" + type(e).__name__)


def hostile_burst(port, stop, seed):
    rnd = random.Random(seed)
    kinds = ["reset_head", "reset_body", "reset_response", "garbage", "oversized", "oversized_chunked",
             "deaf", "smuggle"]
    while not stop.is_set():
        kind = rnd.choice(kinds)
        try:
            s = raw(port)
            if kind == "reset_head":
                s.sendall(b"GET /data HTTP/1.1\r\nHo")
                reset(s)
            elif kind == "reset_body":
                s.sendall(b"POST /data HTTP/1.1\r\nHost: s\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 100000\r\n\r\n" + b" " * 5000)
                reset(s)
            elif kind == "reset_response":
                s.sendall(b"GET /static/ HTTP/1.1\r\nHost: s\r\n\r\n")
                s.recv(10)
                reset(s)
            elif kind == "garbage":
                s.sendall(os.urandom(rnd.randrange(1, 2000)) + b"\r\n\r\n")
                count("garbage_" + status_of(s))
                s.close()
            elif kind == "oversized":
                s.sendall(b"POST /data HTTP/1.1\r\nHost: s\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 6000000\r\n\r\n")
                count("oversized_" + status_of(s))
                s.close()
            elif kind == "oversized_chunked":
                s.sendall(b"POST /data HTTP/1.1\r\nHost: s\r\nContent-Type: application/json\r\n"
                          b"Transfer-Encoding: chunked\r\n\r\n")
                try:
                    for _ in range(7):
                        s.sendall(b"100000\r\n" + b" " * 0x100000 + b"\r\n")
                except OSError:
                    pass
                count("oversized_chunked_" + status_of(s))
                s.close()
            elif kind == "deaf":
                s.sendall(b"GET /static/ HTTP/1.1\r\nHost: s\r\n\r\n" * 50)
                time.sleep(0.5)
                reset(s)
            else:
                s.sendall(b"POST /data HTTP/1.1\r\nHost: s\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                          b"0\r\n\r\nGET /data/1 HTTP/1.1\r\nHost: s\r\n\r\n")
                count("smuggle_" + status_of(s))
                s.close()
            count("hostile_" + kind)
        except OSError as e:
            count("hostile_error:" + type(e).__name__)
        time.sleep(rnd.random() * 0.05)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--duration", type=int, default=600)
    ap.add_argument("--out", default="bench/soak/out")
    ap.add_argument("--good", type=int, default=8)
    args = ap.parse_args()

    start_stats = proc_stats(args.pid)
    samples = [(0, *start_stats, 0)]
    stop = threading.Event()
    threads = [threading.Thread(target=good_client, args=(args.port, stop, i)) for i in range(args.good)]
    threads += [threading.Thread(target=slowloris, args=(args.port, stop)) for _ in range(20)]
    threads += [threading.Thread(target=stalled_body, args=(args.port, stop)) for _ in range(5)]
    threads += [threading.Thread(target=hostile_burst, args=(args.port, stop, 1000 + i)) for i in range(4)]
    for t in threads:
        t.daemon = True
        t.start()
    t0 = time.time()
    with open(os.path.join(args.out, "samples.csv"), "w") as csv:
        csv.write("seconds,rss_kb,threads,fds,good_requests\n")
        csv.write("0,%d,%d,%d,0\n" % start_stats)
        while time.time() - t0 < args.duration:
            time.sleep(min(10, max(0, args.duration - (time.time() - t0))))
            rss, th, fds = proc_stats(args.pid)
            with lock:
                served = counts["good_requests"]
            line = "%d,%d,%d,%d,%d" % (time.time() - t0, rss, th, fds, served)
            csv.write(line + "\n"); csv.flush()
            samples.append((int(time.time() - t0), rss, th, fds, served))
            print(line, flush=True)
    stop.set()
    for t in threads:
        t.join(timeout=40)
    time.sleep(10)  # let the server finish lingering closes (5 s at most each)
    end_stats = proc_stats(args.pid)
    # one more good request after it all
    c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
    c.request("GET", "/"); final = c.getresponse().status; c.close()

    summary = {
        "duration_s": args.duration,
        "good_requests": counts["good_requests"],
        "good_errors": counts["good_errors"],
        "good_wrong_answers": counts["good_wrong_answers"],
        "good_req_per_s": round(counts["good_requests"] / args.duration, 1),
        "rss_mb_start_max_end": [round(start_stats[0] / 1024), round(max(s[1] for s in samples) / 1024),
                                 round(end_stats[0] / 1024)],
        "threads_start_end": [start_stats[1], end_stats[1]],
        "fds_start_end": [start_stats[2], end_stats[2]],
        "final_get_status": final,
        "hostile": {k: v for k, v in sorted(counts.items()) if not k.startswith("good_requests")
                    and k not in ("good_errors", "good_wrong_answers")},
    }
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(json.dumps(summary, indent=2))
    ok = counts["good_wrong_answers"] == 0 and final == 200
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
