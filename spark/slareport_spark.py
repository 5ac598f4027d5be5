"""slareport on Apache Spark: `slareport run`'s job as the map stage, the partial stages and the
merge, publishing the same report tree (see docs/spark.md).

    spark-submit spark/slareport_spark.py --binary .build/release/slareport [--partitions N]
        [--buckets N] [--handover spark|folder] [--work DIR] [--timings] -- RUN-FLAGS...

RUN-FLAGS are `slareport run`'s: --input DIR (repeatable), --orders/--logistics/--tickets/
--surveys FILE..., --config, --out, --from, --to, --as-of, --lang, --max-reject-rate,
--publish-anyway, --export-items, --quiet (--keep-partial and standard input are refused).
Without input flags, the config's `input` folder (default sample-data). Usage errors exit 64.

The input files are read with Spark's own reader (sc.binaryFiles, so local, HDFS and S3 paths
all work) and named as run names them: a scanned file as the folder given joined with its base
name (`--input sample-data` → `sample-data/orders-2026-11-21.csv.gz`), a file of --orders etc.
as given; files a folder scan ignores (README.md, a manifest) are ignored here too (`slareport
map --ignore-other`, the same rule and the config's [tables.*] globs). `slareport map` runs on
each file on the executors (its bytes on stdin): rows (rows-K-of-N.csv with N buckets),
rejects.csv, stats.json, columns.txt, latest.txt.

With N buckets (--buckets, default --partitions; orders by order id, events by tracking number,
tickets by ticket id, surveys by the ticket they name) two partial stages follow, each one
Spark task per bucket:

    slareport partial --stage tickets   bucket K's tickets deduplicated, passed on by order id
    slareport partial --stage groups    bucket K's order groups (orders, their tickets) and
                                        shipments measured into figures (WORK/partial/<K>/)

and `slareport merge --partials` on the driver adds the buckets' figures up and publishes (with
--buckets 0 it reads every row instead, as run holds them). With --handover spark (the default)
the outputs travel through Spark (a shuffle of the bucket files; the small outputs and the
groups stage's to the driver, which writes them under WORK/): no folder is shared by the
executors. With --handover folder (or --buckets 0) every executor reads and writes WORK/map/,
WORK/tickets/ and WORK/partial/ directly (a shared mount, or a local master). WORK is --work,
else a temporary folder removed at the end.

With --timings, the stage times and each stage's largest peak RSS of a slareport process
(measured by /usr/bin/time where the machine has it) are printed on stderr.

Exit status: run's. A failing file or bucket stops the run with its exit code (the first by
name, after printing every failure as `slareport: ...` lines), else the merge's.
"""

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time

from pyspark import SparkContext, SparkFiles


def parse_args(argv):
    """The driver's own options, then `--` and `slareport run`'s flags (usage errors exit 64,
    as run's do)."""
    if "--" in argv:
        k = argv.index("--")
        own, run = argv[:k], argv[k + 1:]
    else:
        own, run = argv, []

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            self.print_usage(sys.stderr)
            print("%s: error: %s" % (self.prog, message), file=sys.stderr)
            sys.exit(64)

    p = Parser(prog="slareport_spark.py", description=__doc__.split("\n\n")[0],
               usage="%(prog)s --binary B [options] -- RUN-FLAGS...")
    p.add_argument("--binary", required=True,
                   help="slareport: a local path, or the name of a file shipped with spark-submit --files")
    p.add_argument("--partitions", type=int, default=2, help="minimum partitions of the input files")
    p.add_argument("--buckets", type=int,
                   help="buckets of the partial stages (default: --partitions; 0: the merge reads every row)")
    p.add_argument("--handover", choices=("spark", "folder"), default="spark",
                   help="how the stages hand their outputs on: through Spark (a shuffle, then to the driver; "
                        "the default) or through the --work folder on every executor (a shared mount)")
    p.add_argument("--work", help="the stages' working folder (default: a temporary one, removed at the end; "
                                  "with --handover folder it must be shared by the executors)")
    p.add_argument("--timings", action="store_true",
                   help="print the stage times on stderr (scripts/bench reads them)")
    args = p.parse_args(own)
    if args.buckets is None:
        args.buckets = max(1, args.partitions)
    if args.buckets < 0:
        p.error("--buckets must be 0 or more")

    r = Parser(prog="slareport run (flags after --)", add_help=False)
    r.add_argument("--input", action="append", default=[])
    for t in TABLES:
        r.add_argument("--" + t, nargs="+", action="extend", default=[])
    r.add_argument("--config")
    r.add_argument("--out")
    r.add_argument("--from", dest="from_")
    r.add_argument("--to")
    r.add_argument("--as-of")
    r.add_argument("--lang")
    r.add_argument("--max-reject-rate")
    r.add_argument("--publish-anyway", action="store_true")
    r.add_argument("--export-items", action="store_true")
    r.add_argument("--quiet", action="store_true")
    r.add_argument("--keep-partial", action="store_true")
    flags = r.parse_args(run)
    if flags.keep_partial:
        r.error("--keep-partial is not offered on Spark (a file that cannot be read to its end fails the run)")
    if "-" in flags.input + sum((getattr(flags, t) for t in TABLES), []):
        r.error("standard input (-) cannot be read on Spark")
    for name in ("input", "config", "out", "from_", "to", "as_of", "lang", "max_reject_rate", "publish_anyway",
                 "export_items", "quiet") + TABLES:
        setattr(args, name, getattr(flags, name))
    return args


TABLES = ("orders", "logistics", "tickets", "surveys")


def default_input(config):
    """The folder run reads without input flags: the config's `input`, else sample-data."""
    if config and os.path.exists(config):
        import tomllib
        try:
            with open(config, "rb") as fh:
                return tomllib.load(fh).get("input", "sample-data")
        except (OSError, tomllib.TOMLDecodeError):
            return "sample-data"  # slareport reports the config's error itself
    return "sample-data"


def merge(exe, config, args, work):
    """Driver side: `slareport merge` over the work folder (its partial/ with buckets), with
    run's report flags, publishing where run would. Returns (exit code, None, peak RSS MB or
    None); its messages go to this process's stderr as they come."""
    cmd = [exe, "merge", "--map", work]
    if args.buckets > 0:
        cmd += ["--partials", os.path.join(work, "partial")]
    if config:
        cmd += ["--config", config]
    for flag, value in (("--out", args.out), ("--from", args.from_), ("--to", args.to), ("--as-of", args.as_of),
                        ("--lang", args.lang), ("--max-reject-rate", args.max_reject_rate)):
        if value is not None:
            cmd += [flag, value]
    for flag, on in (("--publish-anyway", args.publish_anyway), ("--export-items", args.export_items),
                     ("--quiet", args.quiet)):
        if on:
            cmd.append(flag)
    return run_measured(cmd)


def run_measured(cmd, input=None):
    """Runs cmd; returns (exit code, stderr bytes or None, peak RSS in MB or None). With
    `input`, it is written to the child's stdin and stderr is captured; otherwise both pass
    through.

    The peak comes from /usr/bin/time (%M) when the machine has it, else none is given: the
    rusage of a child spawned from this process would not do, since Linux counts the memory the
    child shares with its Python parent before exec (every figure read about 90 MB)."""
    timer = "/usr/bin/time"
    report = None
    if os.access(timer, os.X_OK):
        fd, report = tempfile.mkstemp(prefix="slareport-rss-")
        os.close(fd)
        cmd = [timer, "-f", "%M", "-o", report] + cmd
    try:
        if input is None:
            code, err = subprocess.run(cmd).returncode, None
        else:
            done = subprocess.run(cmd, input=input, capture_output=True)
            code, err = done.returncode, done.stderr
        rss = None
        if report:
            with open(report) as fh:
                lines = fh.read().split()
            # time prints "Command exited with non-zero status N" before %M when it fails.
            rss = int(lines[-1]) / 1024.0 if lines and lines[-1].isdigit() else None
        return code, err, rss
    finally:
        if report:
            os.unlink(report)


def peak(figures):
    """The largest of some processes' peak RSS, as the --timings lines give it."""
    known = [f for f in figures if f is not None]
    return "peak RSS %.0f MB" % max(known) if known and len(known) == len(figures) else "peak RSS unknown"


def shipped(path):
    """A local path when it exists, else the copy spark-submit --files put on this machine."""
    if path is None or os.path.exists(path):
        return path
    return SparkFiles.get(os.path.basename(path))


def executable(path):
    """--files may drop the execute bit: run a private executable copy then."""
    if os.access(path, os.X_OK):
        return path
    copy = os.path.join(tempfile.mkdtemp(prefix="slareport-bin-"), os.path.basename(path))
    shutil.copy(path, copy)
    os.chmod(copy, os.stat(copy).st_mode | stat.S_IXUSR)
    return copy


def map_command(exe, cfg, name, table, out, buckets):
    """`slareport map` of a file on stdin into `out`: a file named as an input of its table
    (`table`), or one of a folder scan (None: its table by its name, others ignored)."""
    cmd = [exe, "map", "-", "--name", name, "--out", out]
    cmd += ["--table", table] if table else ["--ignore-other"]
    if buckets > 0:
        cmd += ["--buckets", str(buckets)]
    return cmd + (["--config", cfg] if cfg else [])


def partial_command(exe, cfg, stage, root, bucket, buckets, as_of, export_items):
    """`slareport partial --stage STAGE` for one bucket over root/map/ (and root/tickets/ for
    groups), writing root/tickets/<bucket>/ or root/partial/<bucket>/: (command, that folder)."""
    out = os.path.join(root, "tickets" if stage == "tickets" else "partial", str(bucket))
    cmd = [exe, "partial", "--stage", stage, "--map", root, "--bucket", str(bucket), "--buckets", str(buckets),
           "--out", out]
    if stage == "groups":
        cmd += ["--tickets", os.path.join(root, "tickets")]
        if export_items:
            cmd.append("--export-items")
    if cfg:
        cmd += ["--config", cfg]
    if as_of is not None:
        cmd += ["--as-of", as_of]
    return cmd, out


def map_partition(records, binary, config, root, buckets):
    """Executor side: `slareport map` per file, writing straight into root/<base name>/ (map
    writes under temporary names and renames, so a folder's files are complete or absent).
    Yields (base name, exit code, stderr, mapped, peak RSS MB or None); rows never travel through
    Spark."""
    exe = executable(shipped(binary))
    cfg = shipped(config)
    for (base, name, table), content in records:
        out = os.path.join(root, base)
        code, err, rss = run_measured(map_command(exe, cfg, name, table, out, buckets), input=content)
        mapped = os.path.exists(os.path.join(out, "stats.json"))
        yield base, code, err.decode("utf-8", "replace"), mapped, rss


def partial_task(stage, bucket, binary, config, out, buckets, as_of, export_items):
    """Executor side: `slareport partial --stage STAGE` for one bucket, writing
    out/tickets/<bucket>/ (stage tickets) or out/partial/<bucket>/ (stage groups).
    Returns (bucket, exit code, stderr, peak RSS MB or None)."""
    cmd, _ = partial_command(
        executable(shipped(binary)), shipped(config), stage, out, bucket, buckets, as_of, export_items)
    code, err, rss = run_measured(cmd, input=b"")
    return bucket, code, err.decode("utf-8", "replace"), rss


def files_of(folder):
    """name -> bytes of the files in a folder."""
    out = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as fh:
            out[name] = fh.read()
    return out


def write_file(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


# The map outputs every task needs whatever its bucket (small): each file's stats, columns and
# latest timestamp, and the surveys' rows (they are few, and read by the tickets stage and the
# merge). rejects.csv goes to the driver only.
SHARED = ("stats.json", "columns.txt", "latest.txt")


def map_shuffled(records, binary, config, buckets):
    """Executor side, --handover spark: `slareport map --buckets N` per file into a private
    temporary folder, then its outputs as records: first ("meta", base, code, stderr, mapped,
    {name: bytes}, peak RSS) with everything but the rows of orders, logistics and tickets, then
    ("rows", K, base, name, bytes) per bucket file of those (read one at a time as Spark takes
    them; with its table last). The folder is removed."""
    exe = executable(shipped(binary))
    cfg = shipped(config)
    for (base, name, table), content in records:
        tmp = tempfile.mkdtemp(prefix="slareport-map-")
        try:
            out = os.path.join(tmp, base)
            code, err, rss = run_measured(map_command(exe, cfg, name, table, out, buckets), input=content)
            mapped = code == 0 and os.path.exists(os.path.join(out, "stats.json"))
            meta, rows = {}, []
            if mapped:
                with open(os.path.join(out, "stats.json")) as fh:
                    table = json.load(fh)["table"]
                for f in sorted(os.listdir(out)):
                    if f.startswith("rows-") and table != "surveys":
                        rows.append(f)
                    else:
                        with open(os.path.join(out, f), "rb") as fh:
                            meta[f] = fh.read()
            yield ("meta", base, code, err.decode("utf-8", "replace"), mapped, meta, rss)
            for f in rows:
                with open(os.path.join(out, f), "rb") as fh:
                    yield ("rows", int(f.split("-")[1]), base, f, fh.read(), table)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def materialize(root, shared):
    """A task's own map folder: every file's shared outputs (and an empty rejects.csv)."""
    for base, files in shared.items():
        for f, data in files.items():
            write_file(os.path.join(root, "map", base, f), data)
        write_file(os.path.join(root, "map", base, "rejects.csv"), b"")


def tickets_shuffled(k, records, binary, config, buckets, shared):
    """Executor side, --handover spark: the tickets stage of bucket K in a private folder (the
    shared outputs, then bucket K's rows as the shuffle brings them); yields ("state", K, code,
    stderr, peak RSS, state.txt) and ("t", J, K, name, bytes) for its outputs by order bucket J."""
    exe = executable(shipped(binary))
    cfg = shipped(config)
    tmp = tempfile.mkdtemp(prefix="slareport-tickets-")
    try:
        materialize(tmp, shared.value)
        for _, (base, f, data) in records:
            write_file(os.path.join(tmp, "map", base, f), data)
        cmd, out = partial_command(exe, cfg, "tickets", tmp, k, buckets, None, False)
        code, err, rss = run_measured(cmd, input=b"")
        state = None
        if code == 0:
            with open(os.path.join(out, "state.txt"), "rb") as fh:
                state = fh.read()
        yield ("state", k, code, err.decode("utf-8", "replace"), rss, state)
        if code == 0:
            for f in sorted(os.listdir(out)):
                if f.startswith(("rows-", "surveyed-")):
                    with open(os.path.join(out, f), "rb") as fh:
                        yield ("t", int(f.split("-")[1]), k, f, fh.read())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def groups_shuffled(k, records, binary, config, buckets, shared, states, as_of, export_items):
    """Executor side, --handover spark: the groups stage of bucket K in a private folder (the
    shared outputs, every tickets-stage state, then bucket K's orders and events and the tickets
    stage's outputs for K as the shuffle brings them); yields ("result", K, code, stderr, peak
    RSS) and ("file", K, name, bytes) for each of its outputs."""
    exe = executable(shipped(binary))
    cfg = shipped(config)
    tmp = tempfile.mkdtemp(prefix="slareport-groups-")
    try:
        materialize(tmp, shared.value)
        for j, data in states.value.items():
            write_file(os.path.join(tmp, "tickets", str(j), "state.txt"), data)
        for _, rec in records:
            if rec[0] == "m":
                write_file(os.path.join(tmp, "map", rec[1], rec[2]), rec[3])
            else:
                write_file(os.path.join(tmp, "tickets", str(rec[1]), rec[2]), rec[3])
        cmd, out = partial_command(exe, cfg, "groups", tmp, k, buckets, as_of, export_items)
        code, err, rss = run_measured(cmd, input=b"")
        yield ("result", k, code, err.decode("utf-8", "replace"), rss)
        if code == 0:
            for f in sorted(os.listdir(out)):
                with open(os.path.join(out, f), "rb") as fh:
                    yield ("file", k, f, fh.read())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_shuffled(sc, files, args, binary, config, out, timings):
    """--handover spark: the map stage, then both partial stages, with every output handed on
    through Spark: bucket files by a shuffle (spilled to the executors' local disks), the small
    shared outputs by a broadcast, the groups stage's outputs streamed to the driver one
    partition at a time and written under OUT/partial/<K>/; OUT/map/ on the driver gets what
    the merge reads (stats, columns, latest, rejects, the surveys' rows). Returns the exit code
    (0, or the first failure's)."""
    from pyspark import StorageLevel
    buckets = args.buckets
    root = os.path.join(out, "map")
    t1 = time.monotonic()
    mapped = files.mapPartitions(lambda recs: map_shuffled(recs, binary, config, buckets)) \
        .persist(StorageLevel.DISK_ONLY)
    metas = mapped.filter(lambda r: r[0] == "meta").collect()
    failures, ignored, map_rss, shared = [], [], [], {}
    for _, base, code, err, done, meta, rss in metas:
        map_rss.append(rss)
        if code != 0:
            failures.append((base, code, err.strip()))
        elif not done:
            ignored.append(base)
        else:
            for f, data in meta.items():
                write_file(os.path.join(root, base, f), data)
            shared[base] = {f: d for f, d in meta.items() if f in SHARED or f.startswith("rows-")}
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "_partitions.json"), "w") as fh:
        json.dump({"partitions": files.getNumPartitions(), "buckets": buckets, "handover": "spark",
                   "ignored": sorted(ignored)}, fh, indent=2)
        fh.write("\n")
    t2 = time.monotonic()
    timings("map stage %.2f s (%d partitions, %s)" % (t2 - t1, files.getNumPartitions(), peak(map_rss)))
    for base, code, err in sorted(failures):
        print(err or "slareport: %s: map exited with %d" % (base, code), file=sys.stderr)
    if failures:
        return sorted(failures)[0][1]

    shared_bc = sc.broadcast(shared)
    # Each table's bucket files are shuffled once, to the stage that reads them: tickets to the
    # tickets stage, orders and events to the groups stage.
    rows = mapped.filter(lambda r: r[0] == "rows")
    tickets = rows.filter(lambda r: r[5] == "tickets").map(lambda r: (r[1], (r[2], r[3], r[4]))) \
        .partitionBy(buckets, lambda k: k) \
        .mapPartitionsWithIndex(lambda k, recs: tickets_shuffled(k, recs, binary, config, buckets, shared_bc)) \
        .persist(StorageLevel.DISK_ONLY)
    states = tickets.filter(lambda r: r[0] == "state").collect()
    t3 = time.monotonic()
    timings("tickets stage %.2f s (%d buckets, %s)" % (t3 - t2, buckets, peak([r[4] for r in states])))
    bad = sorted((k, code, err.strip()) for _, k, code, err, _, _ in states if code != 0)
    for k, code, err in bad:
        print(err or "slareport: bucket %d: partial --stage tickets exited with %d" % (k, code), file=sys.stderr)
    if bad:
        return bad[0][1]

    states_bc = sc.broadcast({k: data for _, k, _, _, _, data in states})
    as_of, export_items = args.as_of, args.export_items
    orders_events = rows.filter(lambda r: r[5] != "tickets").map(lambda r: (r[1], ("m", r[2], r[3], r[4])))
    handed = tickets.filter(lambda r: r[0] == "t").map(lambda r: (r[1], ("t", r[2], r[3], r[4])))
    groups = orders_events.union(handed).partitionBy(buckets, lambda k: k).mapPartitionsWithIndex(
        lambda k, recs: groups_shuffled(k, recs, binary, config, buckets, shared_bc, states_bc, as_of, export_items))
    results = []
    for rec in groups.toLocalIterator():  # a partition at a time to the driver
        if rec[0] == "result":
            results.append(rec)
        else:
            write_file(os.path.join(out, "partial", str(rec[1]), rec[2]), rec[3])
    timings("groups stage %.2f s (%d buckets, %s)" % (time.monotonic() - t3, buckets, peak([r[4] for r in results])))
    bad = sorted((k, code, err.strip()) for _, k, code, err, _ in results if code != 0)
    for k, code, err in bad:
        print(err or "slareport: bucket %d: partial --stage groups exited with %d" % (k, code), file=sys.stderr)
    return bad[0][1] if bad else 0


def list_files(sc, path):
    """The files a path names, through Hadoop's FileSystem (any scheme Spark reads): a file, a
    glob, or a folder's files (not its subfolders, like run's scan), sorted by path. Names
    starting with "." or "_" are left out: Hadoop's readers treat them as hidden (binaryFiles
    refuses them), and no table's name starts so (only a [tables.*] glob could claim one)."""
    jvm = sc._jvm
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    fs = hpath.getFileSystem(sc._jsc.hadoopConfiguration())
    found = []
    for st in fs.globStatus(hpath) or []:
        if st.isDirectory():
            found += [s.getPath().toString() for s in fs.listStatus(st.getPath())
                      if s.isFile() and not s.getPath().getName().startswith((".", "_"))]
        else:
            found.append(st.getPath().toString())
    if not found:
        print("slareport: %s: no such file or folder" % path, file=sys.stderr)
        sys.exit(66)  # run's exit code for a missing input
    return sorted(found)


def input_files(sc, args, config):
    """The input files as run would list them: (path, the name run shows, its table or None).
    A folder of --input (or the config's `input` without input flags) is scanned, each file
    named folder/base name (its table from the name, at map time); a file of --orders etc. is
    named as given, of that table."""
    found = []
    folders = args.input
    if not folders and not any(getattr(args, t) for t in TABLES):
        folders = [default_input(config)]
    for folder in folders:
        prefix = folder.rstrip("/")
        found += [(p, prefix + "/" + p.rstrip("/").rsplit("/", 1)[-1], None) for p in list_files(sc, folder)]
    for t in TABLES:
        for f in getattr(args, t):
            found += [(p, f, t) for p in list_files(sc, f)]
    return found


def read_files(sc, found, partitions):
    """((folder key, name, table), bytes) per input file, read by Spark's binaryFiles, in
    `partitions` partitions.

    binaryFiles packs small files into as few splits as it likes (its minPartitions is only a
    hint), so each file gets its own binaryFiles RDD and the union is coalesced, without a
    shuffle, into the partitions asked for: a file is whole in one record, one task's."""
    parts = []
    for i, (path, name, table) in enumerate(found):
        key = "%05d-%s" % (i, path.rstrip("/").rsplit("/", 1)[-1])  # map/<key>/: distinct per file
        parts.append(sc.binaryFiles(path).map(lambda kv, meta=(key, name, table): (meta, kv[1])))
    return sc.union(parts).coalesce(max(1, partitions), shuffle=False)


def main(argv):
    args = parse_args(argv)
    config = args.config
    if config is None and os.path.exists("slareport.toml"):
        config = "slareport.toml"  # what run reads by default, from the driver's folder
    # The merge runs in the driver's folder and names the config as given, as run would in
    # run.json's "config" (an absolute path there would differ from run's report).
    given_config = config
    if config is not None and os.path.exists(config):
        config = os.path.abspath(config)  # executors do not run in the driver's folder
    binary = os.path.abspath(args.binary) if os.path.exists(args.binary) else args.binary

    t0 = time.monotonic()
    sc = SparkContext.getOrCreate()
    t1 = time.monotonic()
    sc.setLogLevel("ERROR")
    files = read_files(sc, input_files(sc, args, given_config), args.partitions)

    # The work folder: map/<file>/ (all of it with --handover folder or without buckets, where
    # the executors write it themselves; else what the merge reads), tickets/ and partial/.
    out = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="slareport-spark-")
    try:
        return run_stages(sc, files, args, binary, config, given_config, out, t0, t1)
    finally:
        if not args.work:
            shutil.rmtree(out, ignore_errors=True)


def run_stages(sc, files, args, binary, config, given_config, out, t0, t1):
    """The stages over the work folder `out`; the exit code."""
    root = os.path.join(out, "map")
    for old in (root, os.path.join(out, "tickets"), os.path.join(out, "partial")):
        if os.path.exists(old):
            shutil.rmtree(old)
    os.makedirs(root)
    buckets = args.buckets

    def timings(line):
        if args.timings:
            print("slareport_spark: " + line, file=sys.stderr)

    if buckets > 0 and args.handover == "spark":
        timings("spark start %.2f s" % (t1 - t0))
        code = run_shuffled(sc, files, args, binary, config, out, timings)
        return finish(sc, code, binary, given_config, args, out)
    mapped = files.mapPartitions(lambda recs: map_partition(recs, binary, config, root, buckets))
    failures = []
    ignored = []
    map_rss = []
    for base, code, err, done, rss in mapped.collect():  # one small tuple per file
        map_rss.append(rss)
        if code != 0:
            failures.append((base, code, err.strip()))
            shutil.rmtree(os.path.join(root, base), ignore_errors=True)  # empty or partial
        elif not done:
            ignored.append(base)
    with open(os.path.join(root, "_partitions.json"), "w") as fh:
        json.dump({"partitions": files.getNumPartitions(), "buckets": buckets, "ignored": sorted(ignored)},
                  fh, indent=2)
        fh.write("\n")
    t2 = time.monotonic()
    if args.timings:
        print("slareport_spark: spark start %.2f s" % (t1 - t0), file=sys.stderr)
        print("slareport_spark: map stage %.2f s (%d partitions, %s)"
              % (t2 - t1, files.getNumPartitions(), peak(map_rss)), file=sys.stderr)
    for base, code, err in sorted(failures):
        print(err or "slareport: %s: map exited with %d" % (base, code), file=sys.stderr)
    if failures:
        sc.stop()
        return sorted(failures)[0][1]
    if buckets > 0:
        # Each stage is one task per bucket; a task reads its bucket of every file from OUT/map/
        # (and, for groups, of every tickets-stage output under OUT/tickets/).
        as_of, export_items = args.as_of, args.export_items
        for stage in ("tickets", "groups"):
            t_stage = time.monotonic()
            tasks = sc.parallelize(range(buckets), buckets)
            results = tasks.map(
                lambda k, st=stage: partial_task(st, k, binary, config, out, buckets, as_of, export_items)).collect()
            if args.timings:
                print("slareport_spark: %s stage %.2f s (%d buckets, %s)"
                      % (stage, time.monotonic() - t_stage, buckets, peak([r[3] for r in results])), file=sys.stderr)
            bad = sorted((k, code, err.strip()) for k, code, err, _ in results if code != 0)
            for k, code, err in bad:
                print(err or "slareport: bucket %d: partial --stage %s exited with %d" % (k, stage, code),
                      file=sys.stderr)
            if bad:
                sc.stop()
                return bad[0][1]
    return finish(sc, 0, binary, given_config, args, out)


def finish(sc, code, binary, given_config, args, work):
    """Stops Spark; without a failure, runs the merge on the driver. The exit code."""
    driver_exe = executable(shipped(binary)) if code == 0 else None
    driver_config = shipped(given_config) if code == 0 else None
    sc.stop()
    if code != 0:
        return code
    t4 = time.monotonic()
    code, _, rss = merge(driver_exe, driver_config, args, work)
    if args.timings:
        print("slareport_spark: merge %.2f s (%s)" % (time.monotonic() - t4, peak([rss])), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
