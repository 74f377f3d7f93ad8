#!/usr/bin/env python3
"""Wall-time benchmark of whole commands, measured in one run, interleaved:
`mlpolicy lint DIR` against the floor (walk + read + serde_json parse of the same files, in
parallel: examples/floor.rs) and, when asked, against parliament used as a library in one
process. Prints medians, ratios and peak memory.

usage: scripts/bench.py [DIR] [RUNS] [--generate N] [--parliament PYTHON]
  DIR            default ../shared/corpus/aws-managed
  RUNS           default 15
  --generate N   lint a generated tree of N policy files (copies of DIR's files) instead
  --parliament PYTHON   also time parliament with that interpreter (pip install parliament)
"""
import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("dir", nargs="?", default=str(root / "../shared/corpus/aws-managed"))
ap.add_argument("runs", nargs="?", type=int, default=15)
ap.add_argument("--generate", type=int, default=0)
ap.add_argument("--parliament", default="")
args = ap.parse_args()

source = Path(args.dir)
if not source.exists():
    sys.exit(f"bench: {source} does not exist")
target = source
tmp = None
if args.generate:
    # A tree of N files, 500 to a folder, cycling through the source's policies.
    tmp = Path(tempfile.mkdtemp(prefix="mlpolicy-bench-"))
    seeds = sorted(source.rglob("*.json"))
    for i in range(args.generate):
        folder = tmp / f"d{i // 500:04d}"
        folder.mkdir(exist_ok=True)
        shutil.copyfile(seeds[i % len(seeds)], folder / f"p{i:06d}.json")
    target = tmp

subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "mlpolicy", "--example", "floor"],
               cwd=root, check=True)
mlpolicy = str(root / "target/release/mlpolicy")
commands = {
    "mlpolicy lint (json)": [mlpolicy, "lint", str(target), "--format", "json", "-o", "/dev/null"],
    "mlpolicy lint (human)": [mlpolicy, "lint", str(target), "--color", "never"],
    "floor: walk+read+serde_json": [str(root / "target/release/examples/floor"), str(target)],
}
if args.parliament:
    loop = (
        "import sys, pathlib\n"
        "from parliament import analyze_policy_string\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.json')):\n"
        "    try:\n"
        "        analyze_policy_string(p.read_text(), filepath=str(p), include_community_auditors=False)\n"
        "    except Exception:\n"
        "        pass\n"
    )
    commands["parliament (library, one process)"] = [args.parliament, "-c", loop, str(target)]

def run(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start

def peak_rss_mib(cmd):
    """Peak resident memory of one run, via GNU time when present."""
    gnu_time = shutil.which("time") and Path("/usr/bin/time").exists()
    if not gnu_time:
        return None
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    try:
        return int(out.stderr.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return None

for cmd in commands.values():  # warm the page cache
    run(cmd)
times = {name: [] for name in commands}
slow = {"parliament (library, one process)"}
for i in range(args.runs):
    for name, cmd in commands.items():
        if name in slow and i >= 3:
            continue  # parliament takes seconds a run: three runs give its median
        times[name].append(run(cmd))

floor = statistics.median(times["floor: walk+read+serde_json"])
files = sum(1 for _ in target.rglob("*.json"))
print(f"{target}: {files} JSON files; median wall time of {args.runs} interleaved runs "
      f"(parliament: 3); 2 cores")
for name, t in times.items():
    m = statistics.median(t)
    rss = peak_rss_mib(commands[name]) if not name.startswith("parliament") else None
    rss_text = f"   peak {rss:6.1f} MiB" if rss else ""
    print(f"  {name:36} {m * 1000:9.1f} ms   {m / floor:6.2f}x floor{rss_text}")
if args.parliament:
    p = statistics.median(times["parliament (library, one process)"])
    j = statistics.median(times["mlpolicy lint (json)"])
    print(f"  mlpolicy is {p / j:.0f}x faster than parliament")
if tmp:
    shutil.rmtree(tmp)
