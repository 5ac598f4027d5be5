"""SPEC 8's benchmark, driven by scripts/bench: (A) the floor, (B) slareport run, (C) DuckDB,
alternating A B C A B C … on each dataset, each run under /usr/bin/time -v. Prints medians of
wall time and peak RSS, MB/s of uncompressed input, B/C and B/(A ÷ cores), and stops with an
error unless DuckDB's weekly and monthly numbers equal slareport's summary.json for every period.
With --spark, also (S) scripts/spark-run (local[2], 8 partitions, 8 buckets, the outputs
handed on through Spark unless --spark-handover folder)
after C in each round, whose report tree must equal B's, with its stage times, each stage's largest
slareport process (the driver's /usr/bin/time figures) and S/B, and then each stage alone under
/usr/bin/time -v (slareport map per file, slareport partial per bucket and stage, slareport
merge) for the per-stage peak RSS."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading

from . import compare, config, ingest

NAMES = {"A": "floor (gzread + libcsv)", "B": "slareport run", "C": "DuckDB", "S": "spark local[2] (map, partials, merge)"}
STAGES = ("spark start", "map stage", "tickets stage", "groups stage", "merge")  # the driver's --timings lines


def tree_rss_mb(root: int) -> float:
    """Sum of VmRSS over root and its descendants now (MB); 0 for what vanished meanwhile."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
        except OSError:
            pass
    return total / 1024


def uncompressed_bytes(files: list[str]) -> int:
    total = 0
    for p in files:
        with open(p, "rb") as raw:
            gz = raw.read(2) == b"\x1f\x8b"
        with gzip.open(p, "rb") if gz else open(p, "rb") as f:
            while chunk := f.read(1 << 22):
                total += len(chunk)
    return total


def timed(cmd: list[str], time_file: str, log: str, sample: list[float] | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one run; stops the benchmark if the command fails. The
    peak RSS is /usr/bin/time's: the largest single process of the tree (Linux's ru_maxrss over
    the waited-for descendants), not their sum. With `sample`, the largest sum of the tree's RSS
    seen every 0.2 s is appended to it (a sample: it can miss a short peak)."""
    with open(log, "w") as out:
        proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", time_file, *cmd], stdout=out, stderr=subprocess.STDOUT)
        if sample is not None:
            peak = [0.0]
            done = threading.Event()

            def watch() -> None:
                while not done.wait(0.2):
                    peak[0] = max(peak[0], tree_rss_mb(proc.pid))

            watcher = threading.Thread(target=watch)
            watcher.start()
        rc = proc.wait()
        if sample is not None:
            done.set()
            watcher.join()
            sample.append(peak[0])
    if rc != 0:
        sys.stdout.write(open(log).read()[-3000:])
        raise SystemExit(f"exit {rc}: {' '.join(cmd)}")
    text = open(time_file).read()
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text)
    h, m, s = int(wall.group(1) or 0), int(wall.group(2)), float(wall.group(3))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return h * 3600 + m * 60 + s, rss / 1024


def check_same(name: str, scratch: str, duck_json: str, out_b: str, settings) -> None:
    """DuckDB's numbers must be slareport's, every week and month; stops the benchmark otherwise."""
    print(f"  floor read: {open(os.path.join(scratch, f'{name}-A.log')).read().strip()} (headers included)")
    with open(duck_json, encoding="utf-8") as f:
        duck = json.load(f)
    actual = compare.load_reports(out_b)
    tally = compare.Tally()
    stated = compare.reported_as_of(actual, tally)
    tally.check("*", "as_of (SPEC 3 default)", duck["as_of"],
                stated and ingest.parse_as_of(stated, ingest.ZoneInfo(settings.timezone)))
    compare.compare(duck["periods"], actual, tally)
    if not tally.report(open(os.path.join(scratch, f"{name}-compare.txt"), "w")):
        tally.report(sys.stdout, max_lines=40)
        raise SystemExit(f"{name}: DuckDB and slareport disagree (see above); the timings do not count")
    print(f"  {name}: DuckDB equals slareport on {sum(tally.compared.values())} fields of {len(actual)} weeks and months")


def stages_alone(name: str, data: str, files: list[str], args) -> list[tuple[str, float, float]]:
    """Each Spark stage as its own process under /usr/bin/time -v: `slareport map FILE --out
    DIR --buckets N` per input file (one executor task; a file is never split, whatever the
    partitions), `slareport partial` per bucket for each of its two stages, then `slareport
    merge --partials` over those outputs. (label, wall s, peak RSS MB) each; the buckets as one line (slowest, largest)."""
    stage = os.path.join(args.scratch, f"{name}-stages")
    shutil.rmtree(stage, ignore_errors=True)
    time_file, log = os.path.join(args.scratch, "time.txt"), os.path.join(args.scratch, f"{name}-stage.log")
    rows = []
    for path in files:
        base = os.path.basename(path)
        out = os.path.join(stage, "map", base)
        wall, rss = timed([args.slareport, "map", path, "--config", args.config, "--out", out,
                           "--buckets", str(args.spark_buckets)], time_file, log)
        rows.append((f"slareport map {base}", wall, rss))
    for st, folder in (("tickets", "tickets"), ("groups", "partial")):
        extra = ["--tickets", os.path.join(stage, "tickets")] if st == "groups" else []
        buckets = [timed([args.slareport, "partial", "--stage", st, "--map", stage, "--bucket", str(k),
                          "--buckets", str(args.spark_buckets), "--config", args.config,
                          "--out", os.path.join(stage, folder, str(k))] + extra, time_file, log)
                   for k in range(args.spark_buckets)]
        rows.append((f"slareport partial --stage {st} ×{args.spark_buckets} (max)", max(w for w, _ in buckets),
                     max(m for _, m in buckets)))
    wall, rss = timed([args.slareport, "merge", "--map", stage, "--partials", os.path.join(stage, "partial"),
                       "--config", args.config, "--out", os.path.join(stage, "reports"), "--quiet"],
                      time_file, log)
    rows.append(("slareport merge", wall, rss))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="slacheck.bench")
    ap.add_argument("--dataset", action="append", required=True, metavar="NAME=DIR")
    ap.add_argument("--config", required=True, help="slareport.toml for B; C reads its timezone too")
    ap.add_argument("--slareport", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cores", type=int, default=os.cpu_count())
    ap.add_argument("--scratch", required=True)
    ap.add_argument("--spark", metavar="SPARK_RUN", help="scripts/spark-run: adds S (see the module's doc)")
    ap.add_argument("--spark-partitions", type=int, default=8)
    ap.add_argument("--spark-buckets", type=int, default=8)
    ap.add_argument("--spark-handover", choices=("spark", "folder"), default="spark")
    ap.add_argument("--tree-diff", help="scripts/lib/report-tree-diff.py (with --spark)")
    args = ap.parse_args(argv)
    settings = config.Settings.load(args.config)
    os.makedirs(args.scratch, exist_ok=True)
    results = []
    load_before = os.getloadavg()[0]
    for spec in args.dataset:
        name, data = spec.split("=", 1)
        found = ingest.discover(data, settings)
        files = [p for t in ingest.TABLES for p in found[t]]
        size_file = os.path.join(data, ".uncompressed-bytes")
        if not os.path.exists(size_file):
            with open(size_file, "w") as f:
                f.write(str(uncompressed_bytes(files)))
        mb = int(open(size_file).read()) / 1e6
        gz_mb = sum(os.path.getsize(p) for p in files) / 1e6
        out_b = os.path.join(args.scratch, f"{name}-reports")
        duck_json = os.path.join(args.scratch, f"{name}-duckdb.json")
        cmds = {
            "A": [args.floor, *files],
            "B": [args.slareport, "run", "--config", args.config, "--input", data, "--out", out_b, "--quiet"],
            "C": [sys.executable, "-m", "slacheck.duckbench", "--data", data, "--config", args.config,
                  "--json", duck_json],
        }
        out_s = os.path.join(args.scratch, f"{name}-spark-reports")
        if args.spark:
            cmds["S"] = [args.spark, "--binary", args.slareport, "--partitions", str(args.spark_partitions),
                         "--buckets", str(args.spark_buckets), "--handover", args.spark_handover, "--timings",
                         "--work", os.path.join(args.scratch, f"{name}-spark"),
                         "--", "--input", data, "--config", args.config, "--out", out_s, "--quiet"]
        width = 28 if args.spark else 24
        tree_sums: list[float] = []
        stage_times: dict[str, list[float]] = {st: [] for st in STAGES}
        stage_rss: dict[str, list[float]] = {st: [] for st in STAGES[1:]}
        runs = {k: [] for k in cmds}
        print(f"{name}: {len(files)} files, {gz_mb:.0f} MB gzip, {mb:.0f} MB uncompressed; "
              f"{args.rounds} rounds of {' '.join(cmds)}", flush=True)
        for r in range(args.rounds):
            for k, cmd in cmds.items():
                if k in "BS":
                    shutil.rmtree(out_b if k == "B" else out_s, ignore_errors=True)
                log = os.path.join(args.scratch, f"{name}-{k}.log")
                wall, rss = timed(cmd, os.path.join(args.scratch, "time.txt"), log,
                                  tree_sums if k == "S" else None)
                runs[k].append((wall, rss))
                extra = ""
                if k == "S":
                    text = open(log).read()
                    for st in STAGES:
                        m = re.search(rf"slareport_spark: {st} ([\d.]+) s", text)
                        if m is None:
                            raise SystemExit(f"{name}: no '{st}' time in the driver's output ({log})")
                        stage_times[st].append(float(m.group(1)))
                        r_m = re.search(rf"slareport_spark: {st} [^\n]*peak RSS ([\d.]+) MB", text)
                        if st in stage_rss and r_m:
                            stage_rss[st].append(float(r_m.group(1)))
                    parts = re.search(r"map stage [\d.]+ s \((\d+) partitions", text)
                    extra = (f"  (tree sum ≈ {tree_sums[-1]:.0f} MB; {parts.group(1) if parts else '?'} partitions; "
                             + ", ".join(f"{st} {stage_times[st][-1]:.2f} s" for st in STAGES) + ")")
                print(f"  round {r + 1} {k} {NAMES[k]:<{width}} {wall:8.2f} s  {rss:8.0f} MB{extra}", flush=True)
            if r == 0:  # stop early: timings of runs that disagree do not count
                check_same(name, args.scratch, duck_json, out_b, settings)
                if args.spark:
                    diff = subprocess.run([sys.executable, args.tree_diff, out_b, out_s, f"  {name}: spark vs run"])
                    if diff.returncode != 0:
                        raise SystemExit(f"{name}: Spark's report tree differs from run's; the timings do not count")

        med = {k: (statistics.median(w for w, _ in v), statistics.median(m for _, m in v)) for k, v in runs.items()}
        spark = None
        if args.spark:
            spark = {"tree": statistics.median(tree_sums),
                     "stages": {st: statistics.median(v) for st, v in stage_times.items()},
                     "rss": {st: max(v) for st, v in stage_rss.items() if v},
                     "alone": stages_alone(name, data, files, args)}
        results.append((name, mb, med, spark))

    # The machine may be shared: the load says how far to trust the times (ratios hold up better).
    print(f"\nmedians over {args.rounds} runs; cores = {args.cores}; MB/s of uncompressed input; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    width = 28 if args.spark else 24
    print(f"{'dataset':<8} {'run':<{width + 2}} {'wall s':>8} {'MB/s':>8} {'peak RSS MB':>12}")
    for name, mb, med, spark in results:
        for k in med:
            w, m = med[k]
            print(f"{name:<8} {k} {NAMES[k]:<{width}} {w:8.2f} {mb / w:8.1f} {m:12.0f}")
        a, b, c = med["A"][0], med["B"][0], med["C"][0]
        print(f"{name:<8} B/C = {b / c:.2f} (target ≤ 0.8)   B/(A/{args.cores}) = {b / (a / args.cores):.2f} (target ≤ 1.5)"
              f"   RSS B/C = {med['B'][1] / med['C'][1]:.2f} (target < 1)")
        if spark:
            print(f"{name:<8} S/B = {med['S'][0] / b:.2f}   S stages: "
                  + ", ".join(f"{st} {t:.2f} s" for st, t in spark["stages"].items())
                  + f"   (the rest of S's wall: spark-submit, the JVM and the driver's start and stop)")
            print(f"{name:<8} S peak RSS: {med['S'][1]:.0f} MB is the largest single process of S's tree "
                  f"(/usr/bin/time); the whole tree's sum, sampled every 0.2 s, peaked at {spark['tree']:.0f} MB")
            print(f"{name:<8} S largest slareport process per stage (the driver's /usr/bin/time, all rounds): "
                  + ", ".join(f"{st} {m:.0f} MB" for st, m in spark["rss"].items()))
            print(f"{name:<8} each stage alone under /usr/bin/time -v (one process; B = {med['B'][1]:.0f} MB):")
            for label, w, m in spark["alone"]:
                print(f"{name:<8}   {label:<40} {w:8.2f} s {m:8.0f} MB")
    base_name, base_mb, base, _ = results[-1]
    for name, mb, med, _ in results[:-1]:
        print(f"peak RSS {base_name} → {name} (input ×{mb / base_mb:.1f}): slareport ×{med['B'][1] / base['B'][1]:.2f}, "
              f"DuckDB ×{med['C'][1] / base['C'][1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
