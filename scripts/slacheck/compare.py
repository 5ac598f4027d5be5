"""Field-by-field comparison of independently computed weeks with slareport's summary.json."""

from __future__ import annotations

import json
import os
import re
from collections import Counter

PERIOD_DIR = re.compile(r"\d{4}-W\d{2}|\d{4}-\d{2}")

# What is compared, per period (documented in the scripts' --help and the report).
COMPARED = """\
per week and per month (summary.json under <period>/): the set of periods; schema_version,
week/week_start/week_end (absent in months), period.kind/name/start/end; orders.placed;
tickets.created/resolved/by_type/by_channel/by_responsibility; the sla policy list (config
order) and for each entry table, due, goal, target_hours, clock, skipped (absent unless
skipped), eligible, and unless on the business clock met/breached/pending/attainment/p50_hours/
p90_hours (orders, tickets and surveys policies; target and due policies);
complaints.total, complaints.top[] (category, count, share, previous_count, length);
satisfaction.responses/mean/csat/distribution/low_scores/response_rate (from the surveys when
any surveys file is read); logistics.shipments/delivered/stalled/exceptions/p50_delivery_hours/
p90_delivery_hours; data_quality.invalid_durations/invalid_scores/missing_due;
arrivals.by_weekday_hour (7 x 24 counts) and repeat_contacts.window_hours/count/share (where the
compared folder has them, not in recorded expectations); agents (where
the compared folder lists them, not in recorded expectations): the names in order (byte order,
"(unassigned)" — the tickets without an agent — last), per agent tickets/responses/mean/csat/
resolved/handling_p50_hours/low_scores (and low_score_flagged in months),
its ticket-policy list and, unless on the business clock, met/breached/attainment; as_of (SPEC
3's default, unless --as-of); run.json (crosscheck only) tables.<table>.rows_read/rejected/
rejected_by_kind/duplicates_merged/unique for the four tables, and skipped_policies;
open_items.csv (required of a slareport run, compared when present in --reports): open rows per
policy, and for due and 24x7 policies rows per state and every row's (policy, state, id, due);
hours_left = due - as_of; breakdowns (where the compared folder has them) top_n, and per cut
(channel, type, priority, category, merchant) the row values in order (top_n by tickets, ties by
value bytes, the rest as "(other)"), per row values/tickets/responses and, for 24x7 ticket
policies, met/breached/pending; the carrier cut (when [breakdowns] by lists carrier) per row
values/shipments/delivered/stalled/exceptions/p50_delivery_hours/p90_delivery_hours (top_n by
shipments, a shipment's carrier that of its earliest event naming one).
Not compared: met/breached/pending/attainment/percentiles of business-clock policies
(resolution_3bd) and their open items' states, alerts, labels, timezone, the other CSV files,
HTML and Markdown."""


def load_reports(out_dir: str) -> dict[str, dict]:
    """{period name: summary.json} of every week and month folder of a report folder."""
    periods = {}
    for name in sorted(os.listdir(out_dir)):
        p = os.path.join(out_dir, name, "summary.json")
        if PERIOD_DIR.fullmatch(name) and os.path.isfile(p):
            with open(p, encoding="utf-8") as f:
                periods[name] = json.load(f)
    return periods


class Tally:
    def __init__(self):
        self.compared = Counter()
        self.mismatches: list[tuple[str, str, object, object]] = []
        self.failed = Counter()

    def check(self, week: str, field: str, expected, actual, generic: str | None = None) -> None:
        generic = generic or re.sub(r"\[\d+\]", "[]", field)
        self.compared[generic] += 1
        if not same(expected, actual):
            self.failed[generic] += 1
            self.mismatches.append((week, field, expected, actual))

    def report(self, out, max_lines: int = 200) -> bool:
        width = max((len(f) for f in self.compared), default=10)
        print(f"{'field':<{width}}  compared  mismatched", file=out)
        for f in sorted(self.compared):
            print(f"{f:<{width}}  {self.compared[f]:>8}  {self.failed[f]:>10}", file=out)
        total = sum(self.compared.values())
        print(f"{'total':<{width}}  {total:>8}  {len(self.mismatches):>10}", file=out)
        for week, field, e, a in self.mismatches[:max_lines]:
            print(f"MISMATCH {week} {field}: expected {fmt(e)}, slareport {fmt(a)}", file=out)
        if len(self.mismatches) > max_lines:
            print(f"… and {len(self.mismatches) - max_lines} more", file=out)
        return not self.mismatches


def fmt(v) -> str:
    return "null" if v is None else (f"{v:.6f}" if isinstance(v, float) else json.dumps(v, ensure_ascii=False))


def same(expected, actual) -> bool:
    """Counts exactly; decimals as summary.json writes them (rounded to 4 places, either way at .5)."""
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual
    if isinstance(expected, float) or isinstance(actual, float):
        if not isinstance(actual, (int, float)) or abs(round(actual, 4) - actual) > 1e-12:
            return False  # not a number, or more than 4 decimals (SPEC 6)
        return abs(float(expected) - float(actual)) <= 0.00005 + 1e-9
    return expected == actual


def reported_as_of(actual: dict[str, dict], tally: Tally) -> str | None:
    """The as_of every week of a report folder states (checked to be one value)."""
    as_ofs = sorted({w.get("as_of") for w in actual.values()}, key=str)
    tally.check("*", "as_of (one for all weeks)", 1, len(as_ofs))
    return as_ofs[0] if as_ofs else None


def compare(expected: dict[str, dict], actual: dict[str, dict], tally: Tally) -> None:
    """Compares every period (week or month) of either side."""
    tally.check("*", "periods", sorted(expected), sorted(actual))
    for week in sorted(set(expected) & set(actual)):
        compare_week(week, expected[week], actual[week], tally)


def compare_week(week: str, e: dict, a: dict, t: Tally) -> None:
    def get(d, path):
        for k in path.split("."):
            if not isinstance(d, dict) or k not in d:
                return "<absent>"
            d = d[k]
        return d

    def scalar(path):
        t.check(week, path, get(e, path), get(a, path))

    def count_map(path):
        em, am = get(e, path), get(a, path)
        if not isinstance(am, dict):
            t.check(week, path, em, am)
            return
        for k in sorted(set(em) | set(am)):
            t.check(week, f"{path}.{k}", em.get(k, "<absent>"), am.get(k, "<absent>"), generic=path + "{}")

    for p in ("schema_version", "week", "week_start", "week_end", "period.kind", "period.name",
              "period.start", "period.end", "orders.placed", "tickets.created", "tickets.resolved",
              "complaints.total", "satisfaction.responses", "satisfaction.mean", "satisfaction.csat",
              "satisfaction.low_scores", "satisfaction.response_rate", "logistics.shipments",
              "logistics.delivered", "logistics.stalled", "logistics.p50_delivery_hours",
              "logistics.p90_delivery_hours", "data_quality.invalid_durations", "data_quality.invalid_scores",
              "data_quality.missing_due"):
        scalar(p)
    for p in ("tickets.by_type", "tickets.by_channel", "tickets.by_responsibility", "satisfaction.distribution",
              "logistics.exceptions"):
        count_map(p)

    actual_sla = {s.get("policy"): s for s in a.get("sla", [])}
    t.check(week, "sla.policies", [s["policy"] for s in e["sla"]], [s.get("policy") for s in a.get("sla", [])])
    for s in e["sla"]:
        got = actual_sla.get(s["policy"], {})
        keys = ["table", "due", "goal", "target_hours", "clock", "skipped", "eligible"]
        if s["clock"] != "business":
            keys += ["met", "breached", "pending", "attainment", "p50_hours", "p90_hours"]
        for k in keys:
            t.check(week, f"sla.{s['policy']}.{k}", s.get(k, "<absent>"), got.get(k, "<absent>"))

    # Arrivals and repeat contacts: compared where the compared folder has them (slareport's;
    # the recorded expectations predate them).
    if "arrivals" in a:
        eg, ag = get(e, "arrivals.by_weekday_hour"), get(a, "arrivals.by_weekday_hour")
        t.check(week, "arrivals.rows", 7, len(ag) if isinstance(ag, list) else ag)
        for d in range(7):
            erow = eg[d]
            arow = ag[d] if isinstance(ag, list) and d < len(ag) else "<absent>"
            t.check(week, f"arrivals.by_weekday_hour[{d}]", erow, arow, generic="arrivals.by_weekday_hour[]")
    if "repeat_contacts" in a:
        for p in ("repeat_contacts.window_hours", "repeat_contacts.count", "repeat_contacts.share"):
            scalar(p)

    # Agents: compared where the compared side lists them (recorded expectations leave them out).
    if "agents" in a:
        business = {s["policy"] for s in e["sla"] if s["clock"] == "business"}
        ea, aa = e.get("agents", []), a["agents"] if isinstance(a["agents"], list) else []
        t.check(week, "agents.names", [x["agent"] for x in ea], [y.get("agent") for y in aa])
        by_name = {y.get("agent"): y for y in aa}
        for x in ea:
            y, who = by_name.get(x["agent"], {}), f"agents[{x['agent']}]"
            for k in ("tickets", "responses", "mean", "csat", "resolved", "handling_p50_hours", "low_scores",
                      "low_score_flagged"):
                t.check(week, f"{who}.{k}", x.get(k, "<absent>"), y.get(k, "<absent>"), generic=f"agents.{k}")
            ys = y.get("sla", {}) if isinstance(y.get("sla"), dict) else {}
            t.check(week, f"{who}.sla.policies", list(x["sla"]), list(ys), generic="agents.sla.policies")
            for p, r in x["sla"].items():
                if p in business:
                    continue
                for k in ("met", "breached", "attainment"):
                    t.check(week, f"{who}.sla.{p}.{k}", r[k], ys.get(p, {}).get(k, "<absent>"),
                            generic=f"agents.sla.{k}")

    # Breakdowns: compared where the compared side has them (recorded expectations leave them out).
    if "breakdowns" in a and "breakdowns" in e:
        eb, ab = e["breakdowns"], a["breakdowns"] if isinstance(a["breakdowns"], dict) else {}
        t.check(week, "breakdowns.top_n", eb["top_n"], ab.get("top_n", "<absent>"))
        for dim, erows in eb.items():
            if dim == "top_n":
                continue
            arows = ab.get(dim, []) if isinstance(ab.get(dim), list) else []
            t.check(week, f"breakdowns.{dim}.values", [r["value"] for r in erows], [r.get("value") for r in arows],
                    generic="breakdowns.values")
            if dim == "carrier":
                for x, y in zip(erows, arows):
                    who = f"breakdowns.carrier[{x['value']}]"
                    for k in ("values", "shipments", "delivered", "stalled", "exceptions", "p50_delivery_hours",
                              "p90_delivery_hours"):
                        t.check(week, f"{who}.{k}", x[k], y.get(k, "<absent>"), generic=f"breakdowns.carrier.{k}")
                continue
            for x, y in zip(erows, arows):
                who = f"breakdowns.{dim}[{x['value']}]"
                for k in ("values", "tickets", "responses"):
                    t.check(week, f"{who}.{k}", x[k], y.get(k, "<absent>"), generic=f"breakdowns.{k}")
                ys = y.get("sla", {}) if isinstance(y.get("sla"), dict) else {}
                for p, (met, br, pe) in x["sla"].items():
                    got = ys.get(p, {"met": 0, "breached": 0, "pending": 0})
                    for k, v in (("met", met), ("breached", br), ("pending", pe)):
                        t.check(week, f"{who}.sla.{p}.{k}", v, got.get(k, "<absent>"), generic=f"breakdowns.sla.{k}")

    etop, atop = e["complaints"]["top"], get(a, "complaints.top")
    atop = atop if isinstance(atop, list) else []
    t.check(week, "complaints.top.length", len(etop), len(atop))
    for i, (x, y) in enumerate(zip(etop, atop)):
        for k in ("category", "count", "share", "previous_count"):
            t.check(week, f"complaints.top[{i}].{k}", x[k], y.get(k, "<absent>"))
