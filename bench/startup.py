"""Start-up time: `hawk run hello.scm` against `python3 -c pass`, medians
of several runs taken alternately in one run. Usage:
    python bench/startup.py [--runs N]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    opts = ap.parse_args()
    hawk = shutil.which("hawk") or str(Path(sys.executable).parent / "hawk")
    with tempfile.NamedTemporaryFile("w", suffix=".scm", delete=False) as f:
        f.write('(display "hello, world")\n(newline)\n')
    timed([hawk, "run", f.name])          # warm the bytecode cache
    h, p = [], []
    for _ in range(opts.runs):
        h.append(timed([hawk, "run", f.name]))
        p.append(timed([sys.executable, "-c", "pass"]))
    hm, pm = statistics.median(h), statistics.median(p)
    print(f"hawk run hello.scm: median {hm*1000:.0f} ms [{min(h)*1000:.0f}-{max(h)*1000:.0f}]")
    print(f"python3 -c pass:    median {pm*1000:.0f} ms [{min(p)*1000:.0f}-{max(p)*1000:.0f}]")
    print(f"ratio: {hm / pm:.1f}x")


if __name__ == "__main__":
    main()
