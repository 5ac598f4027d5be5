#!/usr/bin/env python3
"""Compares two published report folders (scripts/same-output and scripts/test-spark use it).

    report-tree-diff.py A_OUT B_OUT LABEL

A_OUT and B_OUT are output folders of `slareport run` / `slareport merge`; each one's published
tree (`.current`, resolved) is compared file by file, byte for byte, except run.json, which is
compared without "timings" and "timestamp_cutoff" (both depend on the clock). Prints
"LABEL: N files, identical" or each differing or missing file; exits 1 if any differ.
"""
import json
import os
import sys

CLOCK_FIELDS = ("timings", "timestamp_cutoff")


def tree(out):
    root = os.path.realpath(os.path.join(out, ".current"))
    files = {}
    for folder, _, names in os.walk(root):
        for n in names:
            full = os.path.join(folder, n)
            files[os.path.relpath(full, root)] = full
    return files


def content(path):
    data = open(path, "rb").read()
    if os.path.basename(path) == "run.json":
        run = json.loads(data)
        for k in CLOCK_FIELDS:
            run.pop(k, None)
        return json.dumps(run, indent=2, sort_keys=True).encode("utf-8")
    return data


def main(a_out, b_out, label):
    a, b = tree(a_out), tree(b_out)
    bad = []
    for rel in sorted(set(a) | set(b)):
        if rel not in a:
            bad.append("only in %s: %s" % (b_out, rel))
        elif rel not in b:
            bad.append("only in %s: %s" % (a_out, rel))
        elif content(a[rel]) != content(b[rel]):
            bad.append("differs: %s" % rel)
    if bad:
        print("%s: DIFFERENT" % label)
        for line in bad:
            print("  " + line)
        return 1
    print("%s: %d files, identical" % (label, len(a)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
