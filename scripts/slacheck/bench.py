"""SPEC 8's benchmark, driven by scripts/bench: (A) the floor, (B) slareport run, (C) DuckDB,
alternating A B C A B C … on each dataset, each run under /usr/bin/time -v. Prints medians of
wall time and peak RSS, MB/s of uncompressed input, B/C and B/(A ÷ cores), and stops with an
error unless DuckDB's weekly and monthly numbers equal slareport's summary.json for every period."""

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

from . import compare, config, ingest

NAMES = {"A": "floor (gzread + libcsv)", "B": "slareport run", "C": "DuckDB"}


def uncompressed_bytes(files: list[str]) -> int:
    total = 0
    for p in files:
        with open(p, "rb") as raw:
            gz = raw.read(2) == b"\x1f\x8b"
        with gzip.open(p, "rb") if gz else open(p, "rb") as f:
            while chunk := f.read(1 << 22):
                total += len(chunk)
    return total


def timed(cmd: list[str], time_file: str, log: str) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one run; stops the benchmark if the command fails."""
    with open(log, "w") as out:
        rc = subprocess.run(["/usr/bin/time", "-v", "-o", time_file, *cmd], stdout=out, stderr=subprocess.STDOUT).returncode
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="slacheck.bench")
    ap.add_argument("--dataset", action="append", required=True, metavar="NAME=DIR")
    ap.add_argument("--config", required=True, help="slareport.toml for B; C reads its timezone too")
    ap.add_argument("--slareport", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cores", type=int, default=os.cpu_count())
    ap.add_argument("--scratch", required=True)
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
        runs = {k: [] for k in cmds}
        print(f"{name}: {len(files)} files, {gz_mb:.0f} MB gzip, {mb:.0f} MB uncompressed; "
              f"{args.rounds} rounds of A B C", flush=True)
        for r in range(args.rounds):
            for k, cmd in cmds.items():
                if k == "B":
                    shutil.rmtree(out_b, ignore_errors=True)
                wall, rss = timed(cmd, os.path.join(args.scratch, "time.txt"), os.path.join(args.scratch, f"{name}-{k}.log"))
                runs[k].append((wall, rss))
                print(f"  round {r + 1} {k} {NAMES[k]:<24} {wall:8.2f} s  {rss:8.0f} MB", flush=True)
            if r == 0:  # stop early: timings of runs that disagree do not count
                check_same(name, args.scratch, duck_json, out_b, settings)

        med = {k: (statistics.median(w for w, _ in v), statistics.median(m for _, m in v)) for k, v in runs.items()}
        results.append((name, mb, med))

    # The machine may be shared: the load says how far to trust the times (ratios hold up better).
    print(f"\nmedians over {args.rounds} runs; cores = {args.cores}; MB/s of uncompressed input; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"{'dataset':<8} {'run':<26} {'wall s':>8} {'MB/s':>8} {'peak RSS MB':>12}")
    for name, mb, med in results:
        for k in "ABC":
            w, m = med[k]
            print(f"{name:<8} {k} {NAMES[k]:<24} {w:8.2f} {mb / w:8.1f} {m:12.0f}")
        a, b, c = med["A"][0], med["B"][0], med["C"][0]
        print(f"{name:<8} B/C = {b / c:.2f} (target ≤ 0.8)   B/(A/{args.cores}) = {b / (a / args.cores):.2f} (target ≤ 1.5)"
              f"   RSS B/C = {med['B'][1] / med['C'][1]:.2f} (target < 1)")
    base_name, base_mb, base = results[-1]
    for name, mb, med in results[:-1]:
        print(f"peak RSS {base_name} → {name} (input ×{mb / base_mb:.1f}): slareport ×{med['B'][1] / base['B'][1]:.2f}, "
              f"DuckDB ×{med['C'][1] / base['C'][1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
