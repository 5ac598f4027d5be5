"""Reads slareport's inputs independently of slareport (SPEC 2) and writes normalised CSVs.

Python's gzip and codecs modules and a small strict record splitter (`strict_records`, as
strict as libcsv's CSV_STRICT) do the byte work here; slareport uses zlib, iconv and libcsv. Each accepted row becomes one line of a normalised UTF-8 CSV with epoch-second
timestamps and a read-order sequence, ready for the SQL in `metrics.py`. Rejected rows are
counted by table and reason, never used.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

TABLES = ("orders", "logistics", "tickets")
SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".gz")

# SPEC 2.3: canonical column -> (type, required, built-in aliases).
COLUMNS = {
    "orders": {
        "order_id": ("str", True, ["订单编号", "订单号"]),
        "ordered_at": ("ts", True, ["下单时间"]),
        "paid_at": ("ts", False, ["付款时间"]),
        "shipped_at": ("ts", False, ["发货时间"]),
        "signed_at": ("ts", False, ["签收时间"]),
        "customer_id": ("str", False, ["买家id", "客户id"]),
        "merchant_id": ("str", False, ["商家id", "店铺id"]),
        "product_id": ("str", False, ["商品id"]),
        "category": ("str", False, ["类目", "商品类目"]),
        "amount": ("str", False, ["金额", "实付金额"]),
        "updated_at": ("ts", False, ["更新时间"]),
    },
    "logistics": {
        "tracking_no": ("str", True, ["运单号", "快递单号"]),
        "order_id": ("str", False, ["订单编号", "订单号"]),
        "carrier": ("str", False, ["快递公司"]),
        "event": ("event", True, ["物流节点", "节点"]),
        "event_at": ("ts", True, ["节点时间", "时间"]),
        "exception": ("exception", False, ["异常类型"]),
    },
    "tickets": {
        "ticket_id": ("str", True, ["工单号", "投诉单号"]),
        "order_id": ("str", False, ["订单编号", "订单号"]),
        "product_id": ("str", False, ["商品id"]),
        "merchant_id": ("str", False, ["商家id", "店铺id"]),
        "created_at": ("ts", True, ["创建时间"]),
        "channel": ("str", False, ["渠道"]),
        "agent": ("str", False, ["处理人", "客服", "客服工号"]),
        "type": ("type", True, ["类型", "工单类型"]),
        "category": ("str", False, ["问题分类", "投诉类别"]),
        "priority": ("priority", False, ["优先级"]),
        "first_response_at": ("ts", False, ["首次响应时间"]),
        "fault_confirmed_at": ("ts", False, ["故障确认时间"]),
        "repair_plan_at": ("ts", False, ["维修方案时间"]),
        "plan_rejected_at": ("ts", False, ["方案拒绝时间"]),
        "escalated_at": ("ts", False, ["升级时间"]),
        "resolved_at": ("ts", False, ["解决时间", "完结时间"]),
        "satisfaction": ("score", False, ["满意度", "评分"]),
        "surveyed_at": ("ts", False, ["回访时间"]),
        "responsibility": ("responsibility", False, ["责任方"]),
        "updated_at": ("ts", False, ["更新时间"]),
    },
}

# SPEC 2.3 enums: accepted spellings (lower-cased) -> canonical value.
ENUMS = {
    "type": {"inquiry": ["咨询"], "return": ["退货"], "exchange": ["换货"], "repair": ["维修"],
             "refund": ["退款"], "complaint": ["投诉"]},
    "priority": {"normal": ["普通"], "urgent": ["紧急"], "major": ["重大"]},
    "responsibility": {"merchant": ["商家"], "logistics": ["物流"], "customer": ["用户", "消费者"],
                       "platform": ["平台"]},
    "event": {"picked_up": ["揽收"], "in_transit": ["运输中"], "out_for_delivery": ["派送中"],
              "delivered": ["签收"], "exception": ["异常"]},
    "exception": {"damaged": ["破损"], "lost": ["丢件"], "missing_item": ["漏发"], "wrong_item": ["错发"],
                  "false_signoff": ["虚假签收"], "no_update": ["无物流更新"], "other": ["其他"]},
}
ENUM_LOOKUP = {kind: {s.lower(): k for k, zh in vals.items() for s in [k, *zh]} for kind, vals in ENUMS.items()}

# The normalised columns `metrics.py` reads, per table (timestamps as epoch seconds).
TS_COLUMNS = {t: [c for c, (ty, _, _) in cols.items() if ty == "ts"] for t, cols in COLUMNS.items()}
OUT_COLUMNS = {
    "orders": ["order_id", *TS_COLUMNS["orders"], "seq"],
    "logistics": ["tracking_no", "event", "event_at", "exception", "seq"],
    "tickets": ["ticket_id", "order_id", "type", "priority", "channel", "agent", "category", "responsibility",
                "satisfaction", "score_invalid", *TS_COLUMNS["tickets"], "seq"],
}

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


@dataclass
class Settings:
    """The parts of slareport.toml that decide ingest and the compared metrics."""
    timezone: str = "UTC"
    encoding: str = "auto"
    top_n: int = 3
    complaint_types: list = field(default_factory=lambda: ["return", "exchange", "repair", "refund", "complaint"])
    stall_hours: float = 24.0
    aliases: dict = field(default_factory=dict)
    policies: list | None = None  # None = SPEC 4's defaults

    @classmethod
    def load(cls, path: str | None) -> "Settings":
        s = cls()
        if not path or not os.path.exists(path):
            return s
        import tomllib
        with open(path, "rb") as f:
            doc = tomllib.load(f)
        for key in ("timezone", "encoding", "top_n", "complaint_types", "stall_hours"):
            if key in doc:
                setattr(s, key, doc[key])
        s.aliases = {normalise_header(k): v for k, v in doc.get("aliases", {}).items()}
        if "policy" in doc:
            s.policies = doc["policy"]
        return s


def normalise_header(h: str) -> str:
    return h.strip(" \t").lower()


def discover(folder: str) -> dict[str, list[str]]:
    """SPEC 2.1: a folder's input files per table (not recursive), in read order (SPEC 2.5)."""
    found = {t: [] for t in TABLES}
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        lower = name.lower()
        if not os.path.isfile(path) or not lower.endswith(SUFFIXES):
            continue
        for t in TABLES:
            if lower.startswith(t):
                found[t].append(path)
                break
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


class Normaliser:
    """Turns input files into normalised rows; counts what it read, rejected and why."""

    def __init__(self, settings: Settings):
        self.s = settings
        self.zone = ZoneInfo(settings.timezone)
        self.rows = {t: [] for t in TABLES}
        self.read = Counter()
        self.rejects = Counter()  # (table, reason)

    def header_map(self, table: str, header: list[str], path: str) -> dict[str, int]:
        cols = COLUMNS[table]
        names = {c: c for c in cols}
        for c, (_, _, aliases) in cols.items():
            names.update({normalise_header(a): c for a in aliases})
        names.update({k: v for k, v in self.s.aliases.items() if v in cols})
        index = {}
        for i, h in enumerate(header):
            c = names.get(normalise_header(h))
            if c is None:
                continue
            if c in index:
                raise SystemExit(f"{path}: two header columns map to {c}")
            index[c] = i
        missing = [c for c, (_, req, _) in cols.items() if req and c not in index]
        if missing:
            raise SystemExit(f"{path}: header lacks required column(s) {', '.join(missing)}")
        return index

    def load_file(self, table: str, path: str, rank: int) -> None:
        text = read_text(path, self.s.encoding)
        delim = "\t" if path.lower().endswith((".tsv", ".tsv.gz")) else ","
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
        """(normalised row, None) or (None, reject kind) for one record (SPEC 2.5/2.6); the kinds
        are run.json's names."""
        if len(rec) != width:
            return None, "field_count"
        cols = COLUMNS[table]
        row = {}
        for c, (ty, req, _) in cols.items():
            v = rec[index[c]] if c in index else ""
            if v == "":
                if req:
                    return None, "missing_required"
                row[c] = None
            elif ty == "ts":
                t = parse_ts(v, self.zone)
                if t is None:
                    return None, "bad_timestamp"
                row[c] = t
            elif ty == "score":
                row[c] = int(v) if v in ("1", "2", "3", "4", "5") else None
                row["score_invalid"] = int(row[c] is None)
            elif ty in ENUM_LOOKUP:
                e = ENUM_LOOKUP[ty].get(v.lower())
                if e is None:
                    return None, "unknown_enum"
                row[c] = e
            else:
                row[c] = v
        if table == "tickets":
            row.setdefault("score_invalid", 0)
            row["priority"] = row["priority"] or "normal"
        return row, None

    def load_folder(self, folder: str) -> None:
        for table, paths in discover(folder).items():
            for rank, path in enumerate(paths):
                self.load_file(table, path, rank)

    def write(self, out_dir: str) -> dict[str, str]:
        """Writes one normalised CSV per table; returns table -> path."""
        os.makedirs(out_dir, exist_ok=True)
        paths = {}
        for t in TABLES:
            p = os.path.join(out_dir, f"{t}.csv")
            with open(p, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(OUT_COLUMNS[t])
                for r in self.rows[t]:
                    w.writerow(["" if r.get(c) is None else r[c] for c in OUT_COLUMNS[t]])
            paths[t] = p
        return paths
