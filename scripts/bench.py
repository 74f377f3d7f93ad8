#!/usr/bin/env python3
"""Wall-time (and CPU-time) benchmark of whole commands, measured in one run, interleaved:
`mlpolicy lint DIR` against the floor (walk + read + serde_json parse of the same files, in
parallel: examples/floor.rs) and, when asked, against parliament used as a library in one
process. Prints medians, ratios and peak memory. CPU time (user + system, all threads) is
printed beside wall time: on a shared machine, neighbours' load moves a two-thread run's wall
time more than a one-thread run's, and CPU time less. See benches/README.md.

usage: scripts/bench.py [DIR] [RUNS] [--generate N[,N...]] [--one-folder] [--parliament PYTHON]
                        [--before BINARY] [--binary BINARY] [--one-file]
  DIR            default ../shared/corpus/aws-managed
  RUNS           default 15
  --generate N   lint a generated tree of N policy files (copies of DIR's files, in a
                 temporary folder that is removed afterwards) instead; several sizes
                 (--generate 1000,10000,100000) print one scaling table
  --one-folder   put the generated files in one folder instead of 500 to a folder
  --parliament PYTHON   also time parliament with that interpreter (pip install parliament)
  --one-file            time `mlpolicy lint FILE` once for every file of DIR, start-up included,
                        and print the median, 95th percentile, maximum and the share under 10 ms
  --before BINARY       also time another mlpolicy build (say, of the commit before a change)
                        in the same interleaved runs
  --binary BINARY       the build to time, instead of target/release/mlpolicy: copy both
                        builds to one folder first, since where a binary lies changes its
                        start-up (see benches/README.md)
"""
import argparse
import os
import resource
import shutil
import signal
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
ap.add_argument("--generate", default="")
ap.add_argument("--one-folder", action="store_true")
ap.add_argument("--parliament", default="")
ap.add_argument("--before", default="")
ap.add_argument("--one-file", action="store_true")
# A freshly linked target/release/mlpolicy started 0.5 to 0.8 ms slower than a copy of the
# same bytes elsewhere on the machine measured: compare builds from like places.
ap.add_argument("--binary", default="")
args = ap.parse_args()

source = Path(args.dir)
if not source.exists():
    sys.exit(f"bench: {source} does not exist")

subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "mlpolicy", "--example", "floor"],
               cwd=root, check=True)
mlpolicy = args.binary or str(root / "target/release/mlpolicy")
floor_bin = str(root / "target/release/examples/floor")
# The commands' names: keys of the timings, and the labels printed.
OURS = "mlpolicy lint (json)"
FLOOR = "floor: walk+read+serde_json"
BEFORE = "before: mlpolicy lint (json)"
PARLIAMENT = "parliament (library, one process)"
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def commands(target):
    cmds = {
        OURS: [mlpolicy, "lint", str(target), "--format", "json", "-o", "/dev/null"],
        "mlpolicy lint (human)": [mlpolicy, "lint", str(target), "--color", "never"],
        FLOOR: [floor_bin, str(target)],
    }
    if args.before:
        cmds[BEFORE] = [args.before, "lint", str(target), "--format", "json",
                                                "-o", "/dev/null"]
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
        cmds[PARLIAMENT] = [args.parliament, "-c", loop, str(target)]
    return cmds


def run(cmd):
    return run_timed(cmd)[0]


def run_timed(cmd):
    """Wall time and CPU time (user + system, every thread) of one run, in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def peak_rss_mib(cmd):
    """Peak resident memory of one run, via GNU time when present."""
    if not Path("/usr/bin/time").exists():
        return None
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    try:
        return int(out.stderr.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return None


def measure(target, runs):
    """Median wall time of each command over `runs` interleaved runs (parliament: 3), and
    median CPU time."""
    cmds = commands(target)
    for cmd in cmds.values():  # warm the page cache
        run(cmd)
    times = {name: [] for name in cmds}
    cpu_times = {name: [] for name in cmds}
    for i in range(runs):
        for name, cmd in cmds.items():
            if name == PARLIAMENT and i >= 3:
                continue  # parliament takes seconds a run: three runs give its median
            wall, cpu = run_timed(cmd)
            times[name].append(wall)
            cpu_times[name].append(cpu)
    medians = {name: statistics.median(t) for name, t in times.items()}
    cpu_medians = {name: statistics.median(t) for name, t in cpu_times.items()}
    return cmds, medians, cpu_medians


def generate(n, into):
    """A tree of n policy files cycling through the source's policies."""
    seeds = sorted(source.rglob("*.json"))
    for i in range(n):
        folder = into if args.one_folder else into / f"d{i // 500:04d}"
        folder.mkdir(exist_ok=True)
        shutil.copyfile(seeds[i % len(seeds)], folder / f"p{i:06d}.json")


def report(target, runs):
    cmds, medians, cpu_medians = measure(target, runs)
    floor = medians[FLOOR]
    files = sum(1 for _ in target.rglob("*.json"))
    print(f"{target}: {files} JSON files; median wall time of {runs} interleaved runs "
          f"(parliament: 3); {CORES} cores")
    for name, m in medians.items():
        rss = peak_rss_mib(cmds[name]) if name != PARLIAMENT else None
        rss_text = f"   peak {rss:6.1f} MiB" if rss else ""
        print(f"  {name:36} {m * 1000:9.1f} ms   {m / floor:6.2f}x floor   "
              f"CPU {cpu_medians[name] * 1000:9.1f} ms{rss_text}")
    if args.parliament:
        print(f"  mlpolicy is {medians[PARLIAMENT] / medians[OURS]:.0f}x faster than parliament "
              f"in wall time, {cpu_medians[PARLIAMENT] / cpu_medians[OURS]:.0f}x in CPU time")
    if args.before:
        print(f"  mlpolicy takes {medians[OURS] / medians[BEFORE]:.2f}x "
              f"the time of {args.before}")


# A killed run still removes its generated tree: SIGTERM unwinds like an exception.
signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench: terminated"))
def one_file_report(target):
    """Each file linted on its own, as a pre-commit hook or an editor would."""
    files = sorted(target.rglob("*.json"))
    binaries = {"mlpolicy": mlpolicy}
    if args.before:
        binaries["before"] = args.before
    print(f"{target}: `mlpolicy lint FILE` for each of {len(files)} files, one run each, "
          f"start-up included")
    # Interleaved file by file, the order of the builds alternating, so that a machine that
    # slows down or speeds up during the run weighs on both alike.
    timings = {name: [] for name in binaries}
    for i, f in enumerate(files):
        order = list(binaries.items())
        for name, binary in order if i % 2 == 0 else reversed(order):
            timings[name].append((run([binary, "lint", str(f)]) * 1000, f.name))
    for name in binaries:
        timed = sorted(timings[name])
        times = [t for t, _ in timed]
        under = sum(t < 10 for t in times) / len(times) * 100
        print(f"  {name:10} median {statistics.median(times):5.1f} ms   "
              f"p95 {times[int(len(times) * 0.95)]:5.1f} ms   max {times[-1]:5.1f} ms   "
              f"under 10 ms: {under:.1f}%")
        slowest = ", ".join(f"{n} {t:.1f} ms" for t, n in reversed(timed[-3:]))
        print(f"             slowest: {slowest}")


sizes = [int(n) for n in args.generate.split(",") if n]
if args.one_file:
    one_file_report(source)
elif not sizes:
    report(source, args.runs)
elif len(sizes) == 1:
    with tempfile.TemporaryDirectory(prefix="mlpolicy-bench-") as tmp:
        generate(sizes[0], Path(tmp))
        report(Path(tmp), args.runs)
else:
    print(f"scaling: copies of {source}, {'one folder' if args.one_folder else '500 files a folder'}; "
          f"median of {args.runs} runs; {CORES} cores")
    print(f"  {'files':>8} {'mlpolicy json':>14} {'per file':>9} {'floor':>9} {'ratio':>6} "
          f"{'mlpolicy peak RSS':>18} {'floor peak RSS':>15}")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="mlpolicy-bench-") as tmp:
            generate(n, Path(tmp))
            cmds, medians, _ = measure(Path(tmp), args.runs)
            ours, floor = medians[OURS], medians[FLOOR]
            rss = peak_rss_mib(cmds[OURS]) or 0
            floor_rss = peak_rss_mib(cmds[FLOOR]) or 0
            print(f"  {n:>8} {ours * 1000:>11.1f} ms {ours / n * 1e6:>6.1f} us {floor * 1000:>6.1f} ms "
                  f"{ours / floor:>5.2f}x {rss:>14.1f} MiB {floor_rss:>11.1f} MiB")
