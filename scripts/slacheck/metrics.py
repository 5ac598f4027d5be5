"""slareport's weekly numbers (SPEC 2.5, 3, 5) in DuckDB SQL: the one copy that both
scripts/crosscheck and scripts/bench use.

The caller defines three relations with normalised columns (timestamps as BIGINT epoch seconds,
NULL when missing; enums in their English names; `seq` = read order, greater = read later):

  orders_in(order_id, ordered_at, paid_at, shipped_at, signed_at, updated_at, seq)
  logistics_in(tracking_no, event, event_at, exception, seq)
  tickets_in(ticket_id, order_id, type, priority, channel, agent, category, responsibility,
             satisfaction, score_invalid, created_at, first_response_at, fault_confirmed_at,
             repair_plan_at, plan_rejected_at, escalated_at, resolved_at, surveyed_at,
             updated_at, seq)

`weekly(con, settings, as_of)` dedups them and returns {week name: summary-shaped dict} with
every field this module computes (see `COMPARED` in compare.py). Policies on the business clock
get only `eligible` and the data-quality counts: their met/breached need the business calendar.
"""

from __future__ import annotations

import datetime as dt
import re

DEFAULT_POLICIES = [
    # name, filters, start, stop, target
    ("first_response", {}, "created_at", "first_response_at", "24h", "24x7"),
    ("repair_fault_confirm", {"type": ["repair"]}, "created_at", "fault_confirmed_at", "24h", "24x7"),
    ("repair_plan", {"type": ["repair"]}, "created_at", "repair_plan_at", "72h", "24x7"),
    ("complaint_normal", {"type": ["complaint"], "priority": ["normal"]}, "created_at", "first_response_at", "1h", "24x7"),
    ("complaint_urgent", {"type": ["complaint"], "priority": ["urgent"]}, "created_at", "first_response_at", "4h", "24x7"),
    ("complaint_major", {"type": ["complaint"], "priority": ["major"]}, "created_at", "first_response_at", "24h", "24x7"),
    ("escalation", {}, "plan_rejected_at", "escalated_at", "24h", "24x7"),
    ("refund", {"type": ["refund"]}, "created_at", "resolved_at", "24h", "24x7"),
    ("resolution_3bd", {}, "created_at", "resolved_at", "3bd", "business"),
    ("survey_followup", {}, "resolved_at", "surveyed_at", "72h", "24x7"),
]
TICKET_TIMES = {"created_at", "first_response_at", "fault_confirmed_at", "repair_plan_at", "plan_rejected_at",
                "escalated_at", "resolved_at", "surveyed_at", "updated_at"}
FILTER_COLUMNS = {"type": "type", "priority": "priority", "channel": "channel"}
UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}


class Policy:
    def __init__(self, name, when, start, stop, target, clock):
        if start not in TICKET_TIMES or stop not in TICKET_TIMES:
            raise SystemExit(f"policy {name}: unknown start/stop column")
        self.name, self.when, self.start, self.stop, self.clock = name, when or {}, start, stop, clock
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(m|h|d|bd)\s*", target)
        if not m:
            raise SystemExit(f"policy {name}: target {target!r}")
        # Business-clock targets are not computed here (no calendar): only 24x7 gets seconds.
        self.target = None if clock == "business" else round(float(m.group(1)) * UNIT_SECONDS[m.group(2)])

    @classmethod
    def from_settings(cls, settings) -> list["Policy"]:
        if settings.policies is None:
            return [cls(*p) for p in DEFAULT_POLICIES]
        return [cls(p["name"], p.get("when"), p["start"], p["stop"], p["target"], p.get("clock", "24x7"))
                for p in settings.policies]

    def where(self) -> str:
        conds = [f"{self.start} IS NOT NULL"]
        for k, vals in self.when.items():
            vals = vals if isinstance(vals, list) else [vals]
            conds.append(f"{FILTER_COLUMNS[k]} IN ({', '.join(lit(v) for v in vals)})")
        return " AND ".join(conds)


def lit(s: str) -> str:
    return "'" + str(s).replace("'", "''") + "'"


def setup(con, tz: str) -> None:
    """wk(t): the local Monday (a DATE) of the ISO week holding epoch second t."""
    con.execute(f"CREATE OR REPLACE MACRO wk(t) AS "
                f"CAST(date_trunc('week', timezone({lit(tz)}, to_timestamp(t))) AS DATE)")


def dedup(con) -> None:
    """SPEC 2.5: greatest updated_at (present beats missing), ties to the row read last;
    logistics events equal in tracking_no, event and event_at count once (the last copy kept)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE orders AS SELECT * FROM orders_in
        QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC NULLS LAST, seq DESC) = 1;
        CREATE OR REPLACE TEMP TABLE tickets AS SELECT * FROM tickets_in
        QUALIFY row_number() OVER (PARTITION BY ticket_id ORDER BY updated_at DESC NULLS LAST, seq DESC) = 1;
        CREATE OR REPLACE TEMP TABLE logistics AS SELECT * FROM logistics_in
        QUALIFY row_number() OVER (PARTITION BY tracking_no, event, event_at ORDER BY seq DESC) = 1;
    """)


def default_as_of(con) -> int | None:
    """SPEC 3: the latest timestamp in any column of any accepted row (before dedup)."""
    parts = []
    for rel in ("orders_in", "logistics_in", "tickets_in"):
        cols = [c for (c, ty) in con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {rel})").fetchall()
                if c.endswith("_at") and ty in ("BIGINT", "INTEGER", "HUGEINT")]
        parts.append(f"SELECT greatest({', '.join(f'max({c})' for c in cols)}) AS m FROM {rel}")
    return con.execute(f"SELECT max(m) FROM ({' UNION ALL '.join(parts)})").fetchone()[0]


def weekly(con, settings, as_of: int | None = None) -> tuple[int, dict]:
    """(as_of, {week: summary dict}) for the relations described in the module doc."""
    setup(con, settings.timezone)
    if as_of is None:
        as_of = default_as_of(con)
    dedup(con)
    policies = Policy.from_settings(settings)
    stall = round(float(settings.stall_hours) * 3600)
    ctypes = ", ".join(lit(t) for t in settings.complaint_types) or "NULL"

    # One row per (policy, ticket) the policy applies to.
    con.execute("CREATE OR REPLACE TEMP TABLE sla_rows AS " + " UNION ALL ".join(
        f"""SELECT {i} AS ord, wk({p.start}) AS monday, {p.start} AS st, {p.stop} AS sp,
                   CAST({p.target if p.target is not None else 'NULL'} AS BIGINT) AS target
            FROM tickets WHERE {p.where()}""" for i, p in enumerate(policies)))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE sla_state AS
        SELECT ord, monday, CASE WHEN sp >= st THEN (sp - st) / 3600.0 END AS hours,
               CASE WHEN sp < st THEN 'invalid'
                    WHEN target IS NULL THEN 'eligible'
                    WHEN sp IS NOT NULL THEN CASE WHEN sp - st <= target THEN 'met' ELSE 'breached' END
                    WHEN {as_of} - st > target THEN 'breached' ELSE 'pending' END AS state
        FROM sla_rows""")

    # Shipments: first event, first delivery, longest gap up to delivery, last event.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE shipments AS
        WITH ev AS (
            SELECT tracking_no, event_at,
                   event_at - lag(event_at) OVER (PARTITION BY tracking_no ORDER BY event_at) AS gap,
                   min(CASE WHEN event = 'delivered' THEN event_at END) OVER (PARTITION BY tracking_no) AS deliv
            FROM logistics)
        SELECT tracking_no, min(event_at) AS first_at, any_value(deliv) AS deliv_at,
               coalesce(max(gap) FILTER (WHERE deliv IS NULL OR event_at <= deliv), 0) > {stall}
                 OR (any_value(deliv) IS NULL AND {as_of} - max(event_at) > {stall}) AS stalled
        FROM ev GROUP BY tracking_no""")

    weeks_sql = """
        SELECT wk(ordered_at) FROM orders
        UNION SELECT wk(created_at) FROM tickets
        UNION SELECT wk(resolved_at) FROM tickets WHERE resolved_at IS NOT NULL
        UNION SELECT wk(surveyed_at) FROM tickets WHERE surveyed_at IS NOT NULL
        UNION SELECT monday FROM sla_rows
        UNION SELECT wk(event_at) FROM logistics"""
    lo, hi = con.execute(f"SELECT min(m), max(m) FROM ({weeks_sql}) AS w(m)").fetchone()
    if lo is None:
        return as_of, {}
    weeks = {}
    d = lo
    while d <= hi:
        weeks[d] = empty_week(d, policies)
        d += dt.timedelta(days=7)

    def rows(sql):
        return con.execute(sql).fetchall()

    for m, n in rows("SELECT wk(ordered_at), count(*) FROM orders GROUP BY 1"):
        weeks[m]["orders"]["placed"] = n
    for m, n in rows("SELECT wk(created_at), count(*) FROM tickets GROUP BY 1"):
        weeks[m]["tickets"]["created"] = n
    for m, n in rows("SELECT wk(resolved_at), count(*) FROM tickets WHERE resolved_at IS NOT NULL GROUP BY 1"):
        weeks[m]["tickets"]["resolved"] = n
    for key, col in (("by_type", "type"), ("by_channel", "channel"), ("by_responsibility", "responsibility")):
        for m, k, n in rows(f"SELECT wk(created_at), coalesce(nullif({col}, ''), '(none)'), count(*) "
                            f"FROM tickets GROUP BY ALL"):
            weeks[m]["tickets"][key][k] = n

    for ord_, m, elig, met, br, pend, inv, p50, p90 in rows("""
            SELECT ord, monday, count(*) FILTER (WHERE state <> 'invalid'),
                   count(*) FILTER (WHERE state = 'met'), count(*) FILTER (WHERE state = 'breached'),
                   count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'invalid'),
                   quantile_cont(hours, 0.5) FILTER (WHERE state IN ('met', 'breached')),
                   quantile_cont(hours, 0.9) FILTER (WHERE state IN ('met', 'breached'))
            FROM sla_state GROUP BY ALL"""):
        w = weeks[m]
        w["data_quality"]["invalid_durations"] += inv
        s = w["sla"][ord_]
        s["eligible"] = elig
        if policies[ord_].target is None:
            continue
        s.update(met=met, breached=br, pending=pend, p50_hours=p50, p90_hours=p90,
                 attainment=met / (met + br) if met + br else None)

    # Complaints: totals, then the top N with the previous week's count of the same category.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE complaint_counts AS
        SELECT wk(created_at) AS monday, coalesce(nullif(category, ''), '(none)') AS category, count(*) AS n
        FROM tickets WHERE type IN ({ctypes}) GROUP BY ALL""")
    for m, n in rows("SELECT monday, sum(n) FROM complaint_counts GROUP BY 1"):
        weeks[m]["complaints"]["total"] = int(n)
    for m, cat, n, share, prev in rows(f"""
            SELECT c.monday, c.category, c.n, c.n / sum(c.n) OVER (PARTITION BY c.monday),
                   coalesce(p.n, 0)
            FROM complaint_counts c
            LEFT JOIN complaint_counts p ON p.category = c.category AND p.monday = c.monday - INTERVAL 7 DAY
            QUALIFY row_number() OVER (PARTITION BY c.monday ORDER BY c.n DESC, c.category) <= {int(settings.top_n)}
            ORDER BY c.monday, c.n DESC, c.category"""):
        weeks[m]["complaints"]["top"].append(
            {"category": cat, "count": n, "share": share, "previous_count": prev})

    # Satisfaction, in the week of surveyed_at (else resolved_at).
    for m, resp, mean, csat, d1, d2, d3, d4, d5 in rows("""
            SELECT wk(coalesce(surveyed_at, resolved_at)), count(*), avg(satisfaction),
                   avg(CASE WHEN satisfaction >= 4 THEN 1.0 ELSE 0.0 END),
                   count(*) FILTER (WHERE satisfaction = 1), count(*) FILTER (WHERE satisfaction = 2),
                   count(*) FILTER (WHERE satisfaction = 3), count(*) FILTER (WHERE satisfaction = 4),
                   count(*) FILTER (WHERE satisfaction = 5)
            FROM tickets WHERE satisfaction IS NOT NULL AND coalesce(surveyed_at, resolved_at) IS NOT NULL
            GROUP BY 1"""):
        s = weeks[m]["satisfaction"]
        s.update(responses=resp, mean=mean, csat=csat, low_scores=d1 + d2,
                 distribution={"1": d1, "2": d2, "3": d3, "4": d4, "5": d5})
    for m, scored, n in rows("""SELECT wk(resolved_at), count(satisfaction), count(*) FROM tickets
                                WHERE resolved_at IS NOT NULL GROUP BY 1"""):
        weeks[m]["satisfaction"]["response_rate"] = scored / n
    for m, n in rows("""SELECT wk(coalesce(surveyed_at, resolved_at)), count(*) FROM tickets
                        WHERE score_invalid = 1 AND coalesce(surveyed_at, resolved_at) IS NOT NULL GROUP BY 1"""):
        weeks[m]["data_quality"]["invalid_scores"] = n

    # Logistics.
    for m, n, deliv, stalled, p50, p90 in rows("""
            SELECT wk(first_at), count(*), count(deliv_at), count(*) FILTER (WHERE stalled),
                   quantile_cont((deliv_at - first_at) / 3600.0, 0.5),
                   quantile_cont((deliv_at - first_at) / 3600.0, 0.9)
            FROM shipments GROUP BY 1"""):
        weeks[m]["logistics"].update(shipments=n, delivered=deliv, stalled=stalled,
                                     p50_delivery_hours=p50, p90_delivery_hours=p90)
    for m, k, n in rows("""SELECT wk(event_at), coalesce(nullif(exception, ''), '(none)'), count(*)
                           FROM logistics WHERE event = 'exception' GROUP BY ALL"""):
        weeks[m]["logistics"]["exceptions"][k] = n

    for w in weeks.values():  # count maps in key order (deterministic output, as summary.json)
        for group, key in (("tickets", "by_type"), ("tickets", "by_channel"), ("tickets", "by_responsibility"),
                           ("logistics", "exceptions")):
            w[group][key] = dict(sorted(w[group][key].items()))
    return as_of, {iso_name(m): w for m, w in weeks.items()}


def iso_name(monday: dt.date) -> str:
    y, w, _ = monday.isocalendar()
    return f"{y}-W{w:02d}"


def empty_week(monday: dt.date, policies) -> dict:
    return {
        "week": iso_name(monday),
        "week_start": monday.isoformat(),
        "week_end": (monday + dt.timedelta(days=6)).isoformat(),
        "orders": {"placed": 0},
        "tickets": {"created": 0, "resolved": 0, "by_type": {}, "by_channel": {}, "by_responsibility": {}},
        "sla": [{"policy": p.name, "clock": p.clock, "eligible": 0, "met": 0, "breached": 0, "pending": 0,
                 "attainment": None, "p50_hours": None, "p90_hours": None} for p in policies],
        "complaints": {"total": 0, "top": []},
        "satisfaction": {"responses": 0, "mean": None, "csat": None,
                         "distribution": {str(i): 0 for i in range(1, 6)}, "low_scores": 0,
                         "response_rate": None},
        "logistics": {"shipments": 0, "delivered": 0, "stalled": 0, "exceptions": {},
                      "p50_delivery_hours": None, "p90_delivery_hours": None},
        "data_quality": {"invalid_durations": 0, "invalid_scores": 0},
    }
