"""Reads `tcpdump -nn -tt` lines of one server port on stdin; prints the waits over 20 ms from a
client's batch (its first data segment after the previous answer) to the server's next data on that
connection, the longest first, with the batch's number on its connection (1 = the first after SYN)."""
import collections
import re
import sys

port = int(sys.argv[1])
line_re = re.compile(r'^(\d+\.\d+) IP 127\.0\.0\.1\.(\d+) > 127\.0\.0\.1\.(\d+): Flags \[([^\]]*)\].*length (\d+)')
conns = {}
waits = []
for line in sys.stdin:
    m = line_re.match(line)
    if not m:
        continue
    t, src, dst, flags, length = float(m[1]), int(m[2]), int(m[3]), m[4], int(m[5])
    if dst == port:  # client to server
        if 'S' in flags and '.' not in flags:
            conns[src] = {'syn': t, 'sent': None, 'batch': 0}
            continue
        c = conns.get(src)
        if c is not None and length > 0 and c['sent'] is None:
            c['sent'] = t
            c['batch'] += 1
    else:  # server to client
        c = conns.get(dst)
        if c is not None and length > 0 and c['sent'] is not None:
            if t - c['sent'] > 0.02:
                waits.append((t - c['sent'], dst, c['batch'], c['sent'] - c['syn']))
            c['sent'] = None
waits.sort(reverse=True)
print(f"{len(waits)} waits over 20 ms; by batch number (3 = third or later):",
      dict(sorted(collections.Counter(min(w[2], 3) for w in waits).items())))
for wait, client, batch, since_syn in waits[:15]:
    print(f"  {wait * 1000:7.1f} ms  client port {client}  batch {batch}  {since_syn * 1000:.1f} ms after its SYN")
