"""Reads slareport's inputs independently of slareport (SPEC 2) and writes normalised CSVs.

Python's gzip and codecs modules and a small strict record splitter (`strict_records`, as
strict as libcsv's CSV_STRICT) do the byte work here; slareport uses zlib, iconv and libcsv.
Headers map to columns through `config.Schema` (aliases, `[tables.X]` bindings and extras);
each accepted row becomes one line of a normalised UTF-8 CSV with epoch-second timestamps and a
read-order sequence, ready for the SQL in `metrics.py`. Rejected rows are counted by table and
reason, never used.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import os
import re
from collections import Counter
from zoneinfo import ZoneInfo

from . import config

TABLES = config.TABLES
SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".gz")
Settings = config.Settings
ENUM_LOOKUP = config.ENUM_LOOKUP

# SPEC 2.4/2.6 timestamp forms. Month, day and hour may drop a leading zero.
_D = r"(\d{4})-(\d{1,2})-(\d{1,2})"
TS_FORMS = [
    re.compile(_D + r" (\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?", re.ASCII),
    re.compile(_D + r"T(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?", re.ASCII),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?", re.ASCII),
    re.compile(_D, re.ASCII),
]
YEARS = range(1900, 2200)  # outside: unparsable (slareport's choice, against sentinel dates)


def parse_ts(s: str, zone: ZoneInfo) -> int | None:
    """Epoch seconds of a SPEC 2.4 timestamp, or None when unparsable."""
    for form in TS_FORMS:
        m = form.fullmatch(s)
        if m:
            break
    else:
        return None
    g = m.groups() + (None,) * (8 - len(m.groups()))
    y, mo, d = int(g[0]), int(g[1]), int(g[2])
    h, mi, sec = int(g[3] or 0), int(g[4] or 0), int(g[5] or 0)
    off = g[7] if form is TS_FORMS[1] else None
    if y not in YEARS:
        return None
    try:
        if off is None:
            tz = zone
        elif off == "Z":
            tz = dt.timezone.utc
        else:
            oh, om = int(off[1:3]), int(off[-2:])
            if oh > 23 or om > 59:
                return None
            sign = -1 if off[0] == "-" else 1
            tz = dt.timezone(sign * dt.timedelta(hours=oh, minutes=om))
        # fold=0: a repeated local time is the earlier instant, a skipped one uses the offset before.
        return int(dt.datetime(y, mo, d, h, mi, sec, tzinfo=tz, fold=0).timestamp())
    except ValueError:  # Feb 30, 24:00, minute 60, month 13
        return None


def parse_as_of(s: str, zone: ZoneInfo) -> int:
    t = parse_ts(s.strip(), zone)
    if t is None:
        raise SystemExit(f"unparsable --as-of {s!r}")
    return t


def discover(folder: str, settings: Settings) -> dict[str, list[str]]:
    """SPEC 2.1 and the v2 design notes: a folder's input files per table (not recursive), in read order
    (SPEC 2.5): a known suffix and a table's `files` glob or its name as a prefix."""
    found = {t: [] for t in TABLES}
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if not os.path.isfile(path) or not name.lower().endswith(SUFFIXES):
            continue
        t = config.table_of(name, settings)
        if t:
            found[t].append(path)
    for t in TABLES:
        found[t].sort(key=lambda p: (os.path.basename(p).encode(), p.encode()))
    return found


def read_text(path: str, encoding: str) -> str:
    """SPEC 2.2: gzip by magic (all members), UTF-8 (BOM dropped) when valid, else GB18030."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    # Bytes the chosen encoding cannot read become lone surrogates (surrogateescape): the
    # record holding one is rejected (`encoding`), the rest of the file is read as usual.
    if encoding == "utf-8" or (encoding == "auto" and valid_utf8(raw)):
        text = raw.decode("utf-8", "surrogateescape")
        return text[1:] if text.startswith("\ufeff") else text
    return raw.decode("gb18030", "surrogateescape")


def valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


# A NUL byte is rejected the same way (slareport's choice, as bad-input note 18 recommends:
# SPEC 2 is silent, and NUL in text breaks the CSV and HTML readers downstream).
UNDECODABLE = re.compile("[\udc80-\udcff\x00]")


LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def strict_records(text: str, delim: str):
    """RFC 4180 records as strict as libcsv's CSV_STRICT|CSV_STRICT_FINI (SPEC 2.2): yields
    (fields, line) or (None, line) for a record with a stray quote (a quote inside an unquoted
    field, text after a closing quote, a quote left open at the end), which is dropped through
    the end of its physical line, where reading resumes. Blank (or spaces-only) lines are
    skipped. `line` is the 1-based line where the record ends (only its order matters)."""
    fields, buf = [], []
    # start: no field yet on this record; field: after a delimiter; unquoted, quoted; closed
    # (closed_space): after a closing quote (and spaces).
    state = "start"
    for n, m in enumerate(LINES.finditer(text), 1):
        line = m.group()
        if state == "start" and '"' not in line:
            body = line.rstrip("\r\n")
            if body.strip(" \t") if delim != "\t" else body:
                yield body.split(delim), n
            continue
        bad = False
        for c in line:
            if state == "quoted":
                if c == '"':
                    state = "closed"
                else:
                    buf.append(c)
            elif c == delim and state != "quoted":
                fields.append("".join(buf))
                buf, state = [], "field"
            elif c in "\r\n":
                if state != "start":
                    fields.append("".join(buf))
                    yield fields, n
                fields, buf, state = [], [], "start"
                break
            elif state in ("closed", "closed_space"):
                if c == '"' and state == "closed":  # "" inside quotes
                    buf.append(c)
                    state = "quoted"
                elif c in " \t":  # spaces may follow a closing quote, nothing else may
                    state = "closed_space"
                else:
                    bad = True
                    break
            elif c == '"':
                if state == "unquoted":
                    bad = True
                    break
                state = "quoted"
            elif state in ("start", "field") and c in " \t":
                continue
            else:
                buf.append(c)
                state = "unquoted"
        if bad:
            yield None, n
            fields, buf, state = [], [], "start"
        elif not line.endswith(("\r", "\n")) and state not in ("start", "quoted"):
            fields.append("".join(buf))  # last line without a line break
            yield fields, n
            fields, buf, state = [], [], "start"
    if state == "quoted":  # unterminated quote at the end of the file
        yield None, n


INT = re.compile(r"[+-]?\d+", re.ASCII)
DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)", re.ASCII)


class Normaliser:
    """Turns input files into normalised rows; counts what it read, rejected and why, and which
    columns the files' headers hold (for skipped policies)."""

    def __init__(self, settings: Settings, cutoff: int | None = None):
        """cutoff: the latest accepted event timestamp (slareport: its wall clock + 2 days,
        recorded in run.json); None = no upper bound."""
        self.s = settings
        self.schema = settings.schema
        self.zone = ZoneInfo(settings.timezone)
        self.valid_from = settings.valid_from_epoch()
        self.cutoff = cutoff
        self.rows = {t: [] for t in TABLES}
        self.read = Counter()
        self.rejects = Counter()  # (table, reason)
        self.files = Counter()
        # Columns found in some file's header, or given a default (v2 design notes: skipped policies).
        self.present = {t: set(settings.tables[t].defaults) for t in TABLES}
        self.defaults = {t: self.check_defaults(t) for t in TABLES}

    def check_defaults(self, table: str) -> dict[str, str]:
        """`[tables.X.defaults]` are validated at config load (slareport: exit 78)."""
        out = {}
        for col, v in self.s.tables[table].defaults.items():
            c = self.schema.column(table, col)
            if c is None:
                raise SystemExit(f"[tables.{table}.defaults] {col}: not a column of {table}")
            ok = (parse_ts(v, self.zone) is not None if c.type == "ts" else
                  v.lower() in ENUM_LOOKUP[c.type] if c.type in ENUM_LOOKUP else
                  v in ("1", "2", "3", "4", "5") if c.type == "score" else
                  INT.fullmatch(v) is not None if c.type == "int" else
                  DECIMAL.fullmatch(v) is not None if c.type == "decimal" else True)
            if not ok:
                raise SystemExit(f"[tables.{table}.defaults] {col} = {v!r} does not parse")
            out[col] = v
        return out

    def header_map(self, table: str, header: list[str], path: str) -> dict[str, int]:
        names = self.schema.names[table]
        index = {}
        for i, h in enumerate(header):
            c = names.get(config.normalise_header(h))
            if c is None:
                continue
            if c in index:
                raise SystemExit(f"{path}: two header columns map to {c}")
            index[c] = i
        missing = [c.name for c in self.schema.columns[table]
                   if c.required and c.name not in index and c.name not in self.defaults[table]]
        if missing:
            raise SystemExit(f"{path}: header lacks required column(s) {', '.join(missing)}")
        self.present[table] |= set(index)
        return index

    def load_file(self, table: str, path: str, rank: int) -> None:
        self.files[table] += 1
        text = read_text(path, self.s.table_encoding(table))
        delim = self.s.table_delimiter(table, path)
        header = None
        for rec, line in strict_records(text, delim):
            if header is None:
                if rec is None:
                    raise SystemExit(f"{path}:{line}: malformed header")
                header = [f.strip(" \t") for f in rec]
                index = self.header_map(table, header, path)
                continue
            self.read[table] += 1
            if rec is None:
                self.rejects[(table, "csv_syntax")] += 1
                continue
            if any(UNDECODABLE.search(f) for f in rec):
                self.rejects[(table, "encoding")] += 1
                continue
            rec = [f.strip(" \t") for f in rec]
            row, reason = self.build(table, rec, len(header), index)
            if row is None:
                self.rejects[(table, reason)] += 1
                continue
            row["seq"] = (rank << 32) | line
            self.rows[table].append(row)

    def build(self, table: str, rec: list[str], width: int, index: dict[str, int]):
        """(normalised row, None) or (None, reject kind) for one record (SPEC 2.5/2.6/2.7); the
        kinds are run.json's names. Columns are checked in the spec's order, extras last."""
        if len(rec) != width:
            return None, "field_count"
        defaults, deadlines = self.defaults[table], self.schema.deadlines[table]
        row = {}
        for c in self.schema.columns[table]:
            v = rec[index[c.name]] if c.name in index else ""
            if v == "":
                v = defaults.get(c.name, "")
            ty = c.type
            if v == "":
                if c.required:
                    return None, "missing_required"
                row[c.name] = None
            elif ty == "ts":
                t = parse_ts(v, self.zone)
                if c.name in deadlines:
                    # A deadline may lie ahead (no wall-clock cutoff); unparsable or before
                    # valid_from it is only missing (SPEC 2.6).
                    row[c.name] = t if t is not None and t >= self.valid_from else None
                    continue
                if t is None:
                    return None, "bad_timestamp"
                if t < self.valid_from or (self.cutoff is not None and t > self.cutoff):
                    return None, "timestamp_out_of_range"
                row[c.name] = t
            elif ty == "score":
                row[c.name] = int(v) if v in ("1", "2", "3", "4", "5") else None
                row["score_invalid"] = int(row[c.name] is None)
            elif ty in ENUM_LOOKUP:
                e = ENUM_LOOKUP[ty].get(v.lower())
                if e is None:
                    return None, "unknown_enum"
                row[c.name] = e
            elif ty == "int":  # unparsable: missing (slareport counts it; not compared)
                row[c.name] = int(v) if INT.fullmatch(v) else None
            elif ty == "decimal":
                row[c.name] = float(v) if DECIMAL.fullmatch(v) else None
            else:
                row[c.name] = v
        if table == "tickets":
            row.setdefault("score_invalid", 0)
            row["priority"] = row["priority"] or "normal"
        elif table == "surveys":
            row.setdefault("score_invalid", 0)
            if row["sent_at"] is None and row["answered_at"] is None:
                return None, "missing_required"
        return row, None

    def load_folder(self, folder: str) -> None:
        for table, paths in discover(folder, self.s).items():
            for rank, path in enumerate(paths):
                self.load_file(table, path, rank)

    def header_info(self) -> dict[str, set | None]:
        """table -> columns present in some file's header (or defaulted); None: no file at all."""
        return {t: (self.present[t] if self.files[t] else None) for t in TABLES}

    def write(self, out_dir: str) -> dict[str, str]:
        """Writes one normalised CSV per table; returns table -> path."""
        os.makedirs(out_dir, exist_ok=True)
        paths = {}
        for t in TABLES:
            p = os.path.join(out_dir, f"{t}.csv")
            cols = self.schema.out_columns(t)
            with open(p, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(cols)
                for r in self.rows[t]:
                    w.writerow(["" if r.get(c) is None else r[c] for c in cols])
            paths[t] = p
        return paths
