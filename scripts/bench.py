#!/usr/bin/env python3
"""Wall-time benchmark: `mlpolicy lint DIR` against the floor (walk + read + serde_json parse of
the same files, in parallel), measured in one run, interleaved. Prints medians and the ratio.

usage: scripts/bench.py [DIR] [RUNS]     (default ../shared/corpus/aws-managed, 15 runs)
"""
import statistics
import subprocess
import sys
import time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
target = sys.argv[1] if len(sys.argv) > 1 else str(root / "../shared/corpus/aws-managed")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
if not Path(target).exists():
    sys.exit(f"bench: {target} does not exist")
subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "mlpolicy", "--example", "floor"],
               cwd=root, check=True)
commands = {
    "mlpolicy lint (json)": [str(root / "target/release/mlpolicy"), "lint", target, "--format", "json", "-o", "/dev/null"],
    "mlpolicy lint (human)": [str(root / "target/release/mlpolicy"), "lint", target, "--color", "never"],
    "floor: walk+read+serde_json": [str(root / "target/release/examples/floor"), target],
}
times = {name: [] for name in commands}
for cmd in commands.values():  # warm the page cache
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(runs):
    for name, cmd in commands.items():
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - start)
floor = statistics.median(times["floor: walk+read+serde_json"])
files = sum(1 for _ in Path(target).rglob("*.json"))
print(f"{target}: {files} JSON files, {runs} runs each, median wall time")
for name, t in times.items():
    m = statistics.median(t)
    print(f"  {name:30} {m * 1000:8.1f} ms   {m / floor:5.2f}x floor   (min {min(t) * 1000:.1f}, max {max(t) * 1000:.1f})")
