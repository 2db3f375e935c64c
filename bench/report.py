#!/usr/bin/env python3
"""Turns the raw CSVs written by bench/run into a Markdown report and a gnuplot PNG bar chart."""
import argparse
import csv
import os
import shutil
import subprocess

TITLES = {
    "1a": "1a. plaintext GET / keep-alive, 64 connections",
    "1b": "1b. plaintext GET / keep-alive, 512 connections",
    "2": "2. plaintext GET / pipelined 16 deep, 64 connections",
    "3": "3. GET /echo?msg=hello%20world, 64 connections",
    "4": "4. POST /data small JSON, 64 connections",
    "5": "5. GET /static/1mib.bin, 16 connections",
    "6": "6. new connection per request (Connection: close), 64 connections",
    "7": "7. idle keep-alive connections",
}


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def ratio_line(rows, key, jvm_peers, higher_is_better=True):
    """'jhttpd / best JVM peer' for one metric, or '' when either side is missing."""
    mine = next((num(r[key]) for r in rows if r["server"] == "jhttpd" and r["status"] != "not started"), None)
    peers = [(num(r[key]), r["server"]) for r in rows if r["server"] in jvm_peers and num(r[key]) is not None]
    if mine is None or not peers:
        return ""
    best, who = (max if higher_is_better else min)(peers)
    if not best:
        return ""
    return f"jhttpd / best JVM peer ({who}): **{mine / best:.3g}**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--idle-csv", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--chart", required=True)
    ap.add_argument("--jvm-peers", required=True)
    ap.add_argument("--meta", default="")
    a = ap.parse_args()
    jvm_peers = {p for p in a.jvm_peers.split(",") if p}

    with open(a.csv) as f:
        rows = list(csv.DictReader(f))
    with open(a.idle_csv) as f:
        idle = list(csv.DictReader(f))

    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    servers = list(dict.fromkeys(r["server"] for r in rows))
    md = [f"# jhttpd benchmark {os.path.splitext(os.path.basename(a.out))[0]}", "", a.meta, "",
          f"Raw data: `{os.path.basename(a.csv)}`, `{os.path.basename(a.idle_csv)}`. "
          f"Chart: `{os.path.basename(a.chart)}`.", ""]
    for sc in scenarios:
        sr = [r for r in rows if r["scenario"] == sc]
        md += [f"## {TITLES.get(sc, sc)}", "",
               "| server | req/s | req/s min..max | p50 ms | p99 ms | errors | CPU-s per 100k req | RSS MiB | status |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for r in sorted(sr, key=lambda r: -(num(r["rps"]) or 0)):
            spread = f"{r['rps_min']}..{r['rps_max']} ({r['runs']} runs)" if (num(r.get("runs")) or 0) > 1 else ""
            md.append(f"| {r['server']} | {r['rps']} | {spread} | {r['p50_ms']} | {r['p99_ms']} | {r['errors']} | "
                      f"{r['cpu_s_per_100k']} | {r['rss_mib']} | {r['status']} |")
        ratio = ratio_line(sr, "rps", jvm_peers)
        cpu = ratio_line(sr, "cpu_s_per_100k", jvm_peers, higher_is_better=False)
        md += ["", (ratio + " (req/s)") if ratio else "jhttpd / best JVM peer: n/a (jhttpd or the JVM peers did not run)"]
        if cpu:
            md += ["", cpu.replace("best JVM peer", "leanest JVM peer") + " (CPU-s per 100k requests, lower is better)"]
        md += [""]
    if idle:
        md += [f"## {TITLES['7']}", "",
               "| server | connections | answered | errors | still open | RSS before MiB | RSS after MiB "
               "| bytes per connection (RSS) | bytes per connection (live heap after GC) "
               "| fresh request ms (first / median of 5) | status |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for r in idle:
            md.append(f"| {r['server']} | {r['conns']} | {r['ok']} | {r['errors']} | {r['still_open']} | "
                      f"{r['rss_before_mib']} | {r['rss_after_mib']} | {r['bytes_per_conn']} | "
                      f"{r.get('heap_bytes_per_conn', '-')} | "
                      f"{r['fresh_first_ms']} / {r['fresh_median_ms']} | {r['status']} |")
        ratio = ratio_line(idle, "bytes_per_conn", jvm_peers, higher_is_better=False)
        md += ["", (ratio.replace("best JVM peer", "leanest JVM peer") + " (bytes per connection, lower is better)")
               if ratio else "jhttpd / leanest JVM peer: n/a", ""]

    if rows and shutil.which("gnuplot"):
        dat = a.chart[:-4] + ".dat"
        with open(dat, "w") as f:
            f.write("scenario " + " ".join(servers) + "\n")
            for sc in scenarios:
                vals = {r["server"]: num(r["rps"]) for r in rows if r["scenario"] == sc}
                f.write(sc + " " + " ".join(f"{vals[s]:.0f}" if vals.get(s) else "NaN" for s in servers) + "\n")
        gp = f"""
set terminal pngcairo size 1400,700 font ",11"
set output '{a.chart}'
set title "requests/s per scenario (log scale; server pinned to 1 core)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set format y "%.0f"
set yrange [100:*]
set ylabel "requests/s"
set xlabel "scenario"
set grid ytics
set key outside right top
plot for [i=2:{len(servers) + 1}] '{dat}' using i:xtic(1) title columnheader(i)
"""
        res = subprocess.run(["gnuplot"], input=gp, text=True, capture_output=True)
        if res.returncode != 0:
            print("gnuplot failed:", res.stderr)
        else:
            os.remove(dat)
            md += [f"![requests/s per scenario]({os.path.basename(a.chart)})", ""]

    with open(a.out, "w") as f:
        f.write("\n".join(md))


if __name__ == "__main__":
    main()
