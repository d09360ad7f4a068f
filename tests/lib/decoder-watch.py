#!/usr/bin/env python3
"""decoder-watch.py PREFIX STOPFILE OUT: samples, every 10 ms, the pgal-decode
processes whose upload (descriptor 3) lies under PREFIX (this test's own,
whatever else runs on the machine) until STOPFILE exists (at most 120 s);
then writes JSON to OUT: the most running at once, the most resident memory
they held together (kB) and the number of samples."""
import json
import os
import sys
import time

prefix, stop, out = sys.argv[1:4]


def decoders():
    count, rss = 0, 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != "pgal-decode":
                    continue
            if not os.readlink(f"/proc/{pid}/fd/3").startswith(prefix):
                continue
            with open(f"/proc/{pid}/status") as f:
                kb = [int(l.split()[1]) for l in f if l.startswith("VmRSS:")]
        except OSError:
            continue  # gone meanwhile
        count += 1
        rss += kb[0] if kb else 0
    return count, rss


most, most_rss, samples = 0, 0, 0
end = time.monotonic() + 120
while not os.path.exists(stop) and time.monotonic() < end:
    c, r = decoders()
    most, most_rss, samples = max(most, c), max(most_rss, r), samples + 1
    time.sleep(0.01)
with open(out, "w") as f:
    json.dump({"most": most, "most_rss_kb": most_rss, "samples": samples}, f)
