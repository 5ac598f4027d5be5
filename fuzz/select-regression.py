#!/usr/bin/env python3
"""Picks a small, coverage-rich regression set from the fuzzer's working corpus.

    fuzz/select-regression.py [CORPUS_DIR...]      (default: fuzz/corpus)

Runs `slareport-fuzz -merge=1` (edges only: -use_counters=0 -use_cmp=0) with fuzz/seeds and
Tests/FuzzCorpus counted as already present, then greedily adds the corpus inputs that reach
the most edges not yet reached (smallest first on ties) to Tests/FuzzCorpus as cov-<sha1>.
Needs the fuzzing build from scripts/fuzz (.build-fuzz/debug/slareport-fuzz).
"""
import hashlib, os, shutil, subprocess, sys, tempfile

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
os.chdir(root)
fuzzer = ".build-fuzz/debug/slareport-fuzz"
corpora = sys.argv[1:] or ["fuzz/corpus"]
out_dir = "Tests/FuzzCorpus"

with tempfile.TemporaryDirectory() as tmp:
    base = os.path.join(tmp, "base")
    os.mkdir(base)
    for d in ("fuzz/seeds", out_dir):
        for f in os.listdir(d):
            if not f.startswith(".") and not f.endswith(".md"):
                shutil.copy(os.path.join(d, f), os.path.join(base, d.replace("/", "_") + "_" + f))
    control = os.path.join(tmp, "control")
    subprocess.run([fuzzer, "-merge=1", "-use_counters=0", "-use_cmp=0", "-merge_control_file=" + control,
                    base] + corpora, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = open(control).read().split("\n")
    n, n_base = int(lines[0]), int(lines[1])
    files = lines[2:2 + n]
    cov = {}
    for line in lines[2 + n:]:
        if line.startswith("COV "):
            parts = line.split()
            cov[int(parts[1])] = set(parts[2:])
    covered = set().union(*(cov.get(i, set()) for i in range(n_base)))
    candidates = {i: cov.get(i, set()) for i in range(n_base, n)}
    added = 0
    while candidates:
        best = max(candidates, key=lambda i: (len(candidates[i] - covered), -os.path.getsize(files[i])))
        if not candidates[best] - covered:
            break
        covered |= candidates.pop(best)
        data = open(files[best], "rb").read()
        with open(os.path.join(out_dir, "cov-" + hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
            f.write(data)
        added += 1
    print(f"{added} inputs added to {out_dir}; {len(covered)} edges reached by seeds and regression set")
