"""slareport.toml as the cross-check reads it (SPEC 2.3, 2.7, 4; the v2 design notes): the tables
and their columns (canonical, `[tables.X.extra]`, header bindings, defaults), the policies, and
the few top-level keys that decide ingest and the compared numbers.

`Settings.load(path)` gives everything; `ingest.py` reads files with `settings.schema`, and
`metrics.py` computes with `settings.policies`. Config errors stop the check (slareport: exit 78);
the checker does not try to reproduce slareport's messages.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
from dataclasses import dataclass, field

TABLES = ("orders", "logistics", "tickets", "surveys")

# SPEC 2.3: canonical column -> (type, required header, built-in aliases). Types: "str", "ts",
# "score" (int 1–5), "decimal", "int", or an enum kind of ENUMS. In the spec's order: the order
# of the checks when a row has more than one problem.
COLUMNS = {
    "orders": {
        "order_id": ("str", True, ["订单编号", "订单号"]),
        "ordered_at": ("ts", True, ["下单时间"]),
        "paid_at": ("ts", False, ["付款时间"]),
        "shipped_at": ("ts", False, ["发货时间"]),
        "signed_at": ("ts", False, ["签收时间"]),
        "customer_id": ("str", False, ["买家ID", "客户ID"]),
        "merchant_id": ("str", False, ["商家ID", "店铺ID"]),
        "product_id": ("str", False, ["商品ID"]),
        "category": ("str", False, ["类目", "商品类目"]),
        "amount": ("decimal", False, ["金额", "实付金额"]),
        "status": ("str", False, ["订单状态"]),
        "promised_ship_at": ("ts", False, ["承诺发货时间", "最晚发货时间"]),
        "promised_delivery_at": ("ts", False, ["预计送达时间", "承诺送达时间"]),
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
        "product_id": ("str", False, ["商品ID"]),
        "merchant_id": ("str", False, ["商家ID", "店铺ID"]),
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
        "status": ("str", False, ["工单状态"]),
        "due_at": ("ts", False, ["截止时间", "到期时间"]),
        "updated_at": ("ts", False, ["更新时间"]),
    },
    # No required header column: a row needs sent_at or answered_at (checked per row).
    "surveys": {
        "survey_id": ("str", False, ["评价ID", "问卷ID"]),
        "ticket_id": ("str", False, ["工单号"]),
        "order_id": ("str", False, ["订单编号", "订单号"]),
        "agent": ("str", False, ["客服", "处理人"]),
        "score": ("score", False, ["评分", "满意度", "星级"]),
        "sent_at": ("ts", False, ["邀评时间", "发送时间"]),
        "answered_at": ("ts", False, ["评价时间", "回复时间"]),
        "comment": ("str", False, ["评价内容", "评论"]),
        "updated_at": ("ts", False, ["更新时间"]),
    },
}

# Deadline columns of the spec (2.6): unparsable or before valid_from = missing, never a
# reject; never count for as_of. A policy's `due` column joins them (Schema.deadlines).
DEADLINES = {"orders": {"promised_ship_at", "promised_delivery_at"}, "tickets": {"due_at"}}

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

EXTRA_TYPES = {"string": "str", "timestamp": "ts", "int": "int", "decimal": "decimal"}
DELIMITERS = {",", ";", "|", "\t"}

# SPEC 4's default policies: name, table, when, start, stop, target, clock (labels are not compared).
DEFAULT_POLICIES = [
    ("first_response", "tickets", {}, "created_at", "first_response_at", "24h", "24x7"),
    ("repair_fault_confirm", "tickets", {"type": ["repair"]}, "created_at", "fault_confirmed_at", "24h", "24x7"),
    ("repair_plan", "tickets", {"type": ["repair"]}, "created_at", "repair_plan_at", "72h", "24x7"),
    ("complaint_normal", "tickets", {"type": ["complaint"], "priority": ["normal"]},
     "created_at", "first_response_at", "1h", "24x7"),
    ("complaint_urgent", "tickets", {"type": ["complaint"], "priority": ["urgent"]},
     "created_at", "first_response_at", "4h", "24x7"),
    ("complaint_major", "tickets", {"type": ["complaint"], "priority": ["major"]},
     "created_at", "first_response_at", "24h", "24x7"),
    ("escalation", "tickets", {}, "plan_rejected_at", "escalated_at", "24h", "24x7"),
    ("refund", "tickets", {"type": ["refund"]}, "created_at", "resolved_at", "24h", "24x7"),
    ("resolution_3bd", "tickets", {}, "created_at", "resolved_at", "3bd", "business"),
    ("survey_followup", "tickets", {}, "resolved_at", "surveyed_at", "72h", "24x7"),
    ("ship_24h", "orders", {}, "paid_at", "shipped_at", "24h", "24x7"),
]
# Exclusion filters of the defaults (ship_24h leaves canceled and unavailable orders out).
DEFAULT_UNLESS = {"ship_24h": {"status": ["canceled", "cancelled", "unavailable", "已取消"]}}
UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}


def normalise_header(h: str) -> str:
    """Headers (and config header names) match after trimming and lower-casing (SPEC 2.3)."""
    return h.strip(" \t").lower()


@dataclass
class Column:
    name: str
    type: str          # "str", "ts", "score", "decimal", "int" or an ENUMS kind
    required: bool
    headers: list      # normalised header names that mean this column (built-in + [aliases])
    extra: bool = False

    @property
    def sql_type(self) -> str:
        return {"ts": "BIGINT", "score": "BIGINT", "int": "BIGINT", "decimal": "DOUBLE"}.get(self.type, "VARCHAR")

    @property
    def textual(self) -> bool:
        """A string or enum column: policy filters may use it."""
        return self.type == "str" or self.type in ENUMS


@dataclass
class TableConf:
    """`[tables.<table>]` (SPEC 2.7)."""
    files: list = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    columns: dict = field(default_factory=dict)   # column -> header as written
    extra: dict = field(default_factory=dict)     # name -> (type, header)
    defaults: dict = field(default_factory=dict)  # column -> value (a string)


class Schema:
    """Every table's columns (canonical then extra) and how headers map to them."""

    def __init__(self, aliases: dict, tables: dict[str, TableConf]):
        self.columns: dict[str, list[Column]] = {}
        self.names: dict[str, dict[str, str]] = {}  # table -> normalised header -> column
        for t in TABLES:
            conf = tables[t]
            cols = [Column(c, ty, req, [normalise_header(c), *map(normalise_header, al)])
                    for c, (ty, req, al) in COLUMNS[t].items()]
            canonical = {c.name for c in cols}
            for name, (ty, header) in conf.extra.items():
                if name in canonical or name in ("seq", "score_invalid"):
                    raise SystemExit(f"[tables.{t}.extra] {name}: a canonical column of {t}")
                cols.append(Column(name, ty, False, [normalise_header(header)], extra=True))
            names = {}
            for c in cols:
                if not c.extra:
                    names.update({h: c.name for h in c.headers})
            names.update({normalise_header(k): v for k, v in aliases.items() if v in canonical})
            for c in cols:
                if c.extra:
                    names.update({h: c.name for h in c.headers})
            known = {c.name for c in cols}
            bound = {}
            for col, header in conf.columns.items():
                if col not in known:
                    raise SystemExit(f"[tables.{t}.columns] {col}: neither a column of {t} nor declared in extra")
                h = normalise_header(header)
                if h in bound:
                    raise SystemExit(f"[tables.{t}.columns]: header {header!r} bound to {bound[h]} and {col}")
                bound[h] = col
            names.update(bound)
            self.columns[t], self.names[t] = cols, names
        self.deadlines = {t: set(DEADLINES.get(t, ())) for t in TABLES}
        self.policy_times = {t: set() for t in TABLES}  # timestamp columns used as a start or stop

    def column(self, table: str, name: str) -> Column | None:
        return next((c for c in self.columns[table] if c.name == name), None)

    def out_columns(self, table: str) -> list[str]:
        """The normalised relation's columns: every column, a score's validity flag, read order."""
        cols = [c.name for c in self.columns[table]]
        if any(c.type == "score" for c in self.columns[table]):
            cols.append("score_invalid")
        return cols + ["seq"]

    def sql_types(self, table: str) -> dict[str, str]:
        types = {c.name: c.sql_type for c in self.columns[table]}
        return {c: types.get(c, "BIGINT") for c in self.out_columns(table)}

    def as_of_columns(self, table: str) -> list[str]:
        """SPEC 3 (v2): event columns count for as_of; deadlines do not; extra timestamps only
        when a policy uses them as start or stop."""
        return [c.name for c in self.columns[table] if c.type == "ts" and c.name not in self.deadlines[table]
                and (not c.extra or c.name in self.policy_times[table])]


def parse_target(text: str, business_day_hours: float):
    """(seconds on the policy's clock or None for business targets, target_hours)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(m|h|d|bd)\s*", str(text))
    if not m:
        raise SystemExit(f"target {text!r}: expected a number with m, h, d or bd")
    n, unit = float(m.group(1)), m.group(2)
    hours = n * business_day_hours if unit == "bd" else n * UNIT_SECONDS[unit] / 3600
    return round(n * UNIT_SECONDS.get(unit, 0)), hours


class Policy:
    """One `[[policy]]` (SPEC 4, the v2 design notes): table, when/unless filters, start, stop, and a
    target (24x7 computed here; business: eligible only) or a due column; goal."""

    def __init__(self, schema: Schema, d: dict, attainment_goal: float, business_day_hours: float):
        self.name = d["name"]
        self.table = d.get("table", "tickets")
        if self.table not in ("tickets", "orders", "surveys"):
            raise SystemExit(f"policy {self.name}: table {self.table!r}")
        t = self.table
        for key in ("start", "stop"):
            c = schema.column(t, d.get(key, ""))
            if c is None or c.type != "ts":
                raise SystemExit(f"policy {self.name}: {key} {d.get(key)!r} is not a timestamp column of {t}")
        self.start, self.stop = d["start"], d["stop"]
        if ("target" in d) == ("due" in d):
            raise SystemExit(f"policy {self.name}: exactly one of target and due")
        self.due = d.get("due")
        if self.due is not None:
            c = schema.column(t, self.due)
            if c is None or c.type != "ts":
                raise SystemExit(f"policy {self.name}: due {self.due!r} is not a timestamp column of {t}")
            if "clock" in d:
                raise SystemExit(f"policy {self.name}: clock goes with target only")
            self.clock, self.target, self.target_hours = None, None, None
        else:
            self.clock = d.get("clock", "24x7")
            if self.clock not in ("24x7", "business"):
                raise SystemExit(f"policy {self.name}: clock {self.clock!r}")
            secs, self.target_hours = parse_target(d["target"], business_day_hours)
            if str(d["target"]).strip().endswith("bd") and self.clock != "business":
                raise SystemExit(f"policy {self.name}: bd needs clock = \"business\"")
            # Business-clock states are not computed here (no calendar): only 24x7 gets seconds.
            self.target = secs if self.clock == "24x7" else None
            if self.target_hours == int(self.target_hours):
                self.target_hours = int(self.target_hours)
        self.goal = d.get("goal", attainment_goal)
        self.when = self.filters(schema, d.get("when", {}))
        self.unless = self.filters(schema, d.get("unless", {}))

    def filters(self, schema: Schema, raw: dict) -> dict[str, list]:
        """column -> accepted values (enums as their English names; "" = empty)."""
        out = {}
        for col, vals in raw.items():
            c = schema.column(self.table, col)
            if c is None or not c.textual:
                raise SystemExit(f"policy {self.name}: filter on {col!r}, not a text column of {self.table}")
            vals = [str(v).strip(" \t") for v in (vals if isinstance(vals, list) else [vals])]
            if c.type in ENUMS:
                bad = [v for v in vals if v and v.lower() not in ENUM_LOOKUP[c.type]]
                if bad:
                    raise SystemExit(f"policy {self.name}: unknown {c.type} {bad}")
                vals = [ENUM_LOOKUP[c.type][v.lower()] if v else "" for v in vals]
            out[col] = vals
        return out

    def columns(self) -> list[str]:
        """The columns that must be in some file's header for the policy to be computed."""
        return [self.start, self.stop] + ([self.due] if self.due else [])


@dataclass
class Settings:
    """The parts of slareport.toml that decide ingest and the compared metrics."""
    timezone: str = "UTC"
    encoding: str = "auto"
    delimiter: str = ","
    top_n: int = 3
    complaint_types: list = field(default_factory=lambda: ["return", "exchange", "repair", "refund", "complaint"])
    stall_hours: float = 24.0
    attainment_goal: float = 0.95
    valid_from: str = "2000-01-01"
    periods: list = field(default_factory=lambda: ["week", "month"])
    repeat_window_seconds: int = 7 * 86400  # repeat_window (m, h or d)
    low_score_flag: int = 3  # [agents] low_score_flag
    breakdowns_top_n: int = 10
    breakdowns_by: list = field(default_factory=lambda: ["channel", "type", "priority", "category", "merchant"])
    business_hours: object = "09:00-18:00"
    aliases: dict = field(default_factory=dict)
    tables: dict = field(default_factory=lambda: {t: TableConf() for t in TABLES})
    raw_policies: list | None = None  # None = SPEC 4's defaults
    schema: Schema = None
    policies: list = None

    @classmethod
    def load(cls, path: str | None) -> "Settings":
        s = cls()
        doc = {}
        if path and os.path.exists(path):
            import tomllib
            with open(path, "rb") as f:
                doc = tomllib.load(f)
        for key in ("timezone", "encoding", "delimiter", "top_n", "complaint_types", "stall_hours",
                    "attainment_goal", "valid_from", "periods"):
            if key in doc:
                setattr(s, key, doc[key])
        if "repeat_window" in doc:
            seconds, _ = parse_target(doc["repeat_window"], 0)
            if not seconds:
                raise SystemExit(f"repeat_window {doc['repeat_window']!r}: expected a number with m, h or d")
            s.repeat_window_seconds = seconds
        s.low_score_flag = int(doc.get("agents", {}).get("low_score_flag", s.low_score_flag))
        if s.delimiter not in DELIMITERS:
            raise SystemExit(f"delimiter {s.delimiter!r}")
        bd = doc.get("breakdowns", {})
        s.breakdowns_top_n = bd.get("top_n", s.breakdowns_top_n)
        s.breakdowns_by = list(dict.fromkeys(v.strip().lower() for v in bd.get("by", s.breakdowns_by)))
        s.business_hours = doc.get("calendar", {}).get("business_hours", s.business_hours)
        s.aliases = dict(doc.get("aliases", {}))
        for t, raw in doc.get("tables", {}).items():
            if t not in TABLES:
                raise SystemExit(f"[tables.{t}]: unknown table")
            s.tables[t] = table_conf(t, raw)
        if "policy" in doc:
            s.raw_policies = doc["policy"]
        s.schema = Schema(s.aliases, s.tables)
        raw = s.raw_policies
        if raw is None:
            raw = [dict(name=n, table=t, when=w, unless=DEFAULT_UNLESS.get(n, {}), start=a, stop=b, target=tg, clock=ck)
                   for n, t, w, a, b, tg, ck in DEFAULT_POLICIES]
        s.policies = [Policy(s.schema, p, s.attainment_goal, business_day_hours(s.business_hours)) for p in raw]
        for p in s.policies:
            s.schema.policy_times[p.table] |= {p.start, p.stop}
            if p.due:
                s.schema.deadlines[p.table].add(p.due)
        return s

    def table_encoding(self, table: str) -> str:
        return self.tables[table].encoding or self.encoding

    def table_delimiter(self, table: str, path: str) -> str:
        """.tsv and .tsv.gz are always tab-separated; else the table's delimiter, else the top level's."""
        if path.lower().endswith((".tsv", ".tsv.gz")):
            return "\t"
        return self.tables[table].delimiter or self.delimiter

    def valid_from_epoch(self) -> int:
        """Local midnight of `valid_from` in the configured zone: earlier timestamps are out of range."""
        from zoneinfo import ZoneInfo
        d = dt.date.fromisoformat(str(self.valid_from))
        return int(dt.datetime(d.year, d.month, d.day, tzinfo=ZoneInfo(self.timezone)).timestamp())


def table_conf(t: str, raw: dict) -> TableConf:
    c = TableConf()
    files = raw.get("files", [])
    c.files = [files] if isinstance(files, str) else list(files)
    c.encoding = raw.get("encoding")
    c.delimiter = raw.get("delimiter")
    if c.delimiter is not None and c.delimiter not in DELIMITERS:
        raise SystemExit(f"[tables.{t}] delimiter {c.delimiter!r}")
    for name, spec in raw.get("extra", {}).items():
        if isinstance(spec, str):
            ty, header = spec, name
        else:
            ty, header = spec.get("type"), spec.get("header", name)
        if ty not in EXTRA_TYPES:
            raise SystemExit(f"[tables.{t}.extra] {name}: unknown type {ty!r}")
        c.extra[name] = (EXTRA_TYPES[ty], header)
    if len(c.extra) > 4:
        raise SystemExit(f"[tables.{t}.extra]: at most 4 extra columns")
    c.columns = dict(raw.get("columns", {}))
    c.defaults = {k: str(v).strip(" \t") for k, v in raw.get("defaults", {}).items()}
    return c


def business_day_hours(spec) -> float:
    """The length of one business day: the sum of the business-hours intervals."""
    total = 0
    for part in [spec] if isinstance(spec, str) else spec:
        a, b = part.split("-")
        (h1, m1), (h2, m2) = (map(int, x.strip().split(":")) for x in (a, b))
        total += (h2 * 60 + m2) - (h1 * 60 + m1)
    return total / 60


def table_of(name: str, settings: Settings) -> str | None:
    """The v2 design notes' folder scan: a `files` glob (case-insensitive, on the base name) beats a
    table-name prefix; two tables' globs matching one file stop the check (slareport: exit 78)."""
    lower = name.lower()
    globbed = [t for t in TABLES if any(fnmatch.fnmatchcase(lower, g.lower()) for g in settings.tables[t].files)]
    if len(globbed) > 1:
        raise SystemExit(f"{name}: matched by the files globs of {' and '.join(globbed)}")
    if globbed:
        return globbed[0]
    return next((t for t in TABLES if lower.startswith(t)), None)
