"""slareport's per-period numbers (SPEC 2.5, 3, 5; the v2 design notes) in DuckDB SQL: the one
copy that both scripts/crosscheck and scripts/bench use.

The caller defines four relations `<table>_in` with the columns of `Schema.out_columns(table)`
(config.py): every canonical and extra column, timestamps as BIGINT epoch seconds, NULL when
missing (an empty string is missing too); enums in their English names; `score_invalid` 1 for a
non-empty invalid score; `seq` = read order, greater = read later. It also says which columns
the files' headers hold (`present`: table -> set of columns, None when the table has no file),
which decides skipped policies.

`periods(con, settings, present, as_of)` dedups them and returns (as_of, {period name:
summary-shaped dict}) for every week ("2026-W47") and month ("2026-11") of `settings.periods`,
with every field this module computes (see `COMPARED` in compare.py). Policies on the business
clock get only `eligible` and the data-quality counts: their met/breached need the calendar.
"""

from __future__ import annotations

import datetime as dt

from .config import TABLES

SCHEMA_VERSION = 2


def lit(s: str) -> str:
    return "'" + str(s).replace("'", "''") + "'"


def q(name: str) -> str:
    """A quoted identifier (extra columns are named in the config)."""
    return '"' + name.replace('"', '""') + '"'


def setup(con, tz: str) -> None:
    """wk(t) / mo(t): the local first day (a DATE) of the ISO week / calendar month holding
    epoch second t."""
    for macro, unit in (("wk", "week"), ("mo", "month")):
        con.execute(f"CREATE OR REPLACE MACRO {macro}(t) AS "
                    f"CAST(date_trunc('{unit}', timezone({lit(tz)}, to_timestamp(t))) AS DATE)")


def dedup(con) -> None:
    """SPEC 2.5: greatest updated_at (present beats missing), ties to the row read last;
    logistics events equal in tracking_no, event and event_at count once (the last copy kept).
    Surveys (v2 design notes): key survey_id, else (ticket_id, order_id, sent_at) when sent_at is
    present, else (ticket_id, order_id, answered_at), on parsed values. Then the joins of SPEC
    2.3, on the deduplicated rows: a ticket's empty merchant_id/product_id from its order, a
    survey's empty agent from its ticket."""
    latest = "ORDER BY updated_at DESC NULLS LAST, seq DESC) = 1"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE orders AS SELECT * FROM orders_in
        QUALIFY row_number() OVER (PARTITION BY order_id {latest};
        CREATE OR REPLACE TEMP TABLE tickets AS
        SELECT t.* REPLACE (coalesce(t.merchant_id, o.merchant_id) AS merchant_id,
                            coalesce(t.product_id, o.product_id) AS product_id)
        FROM (SELECT * FROM tickets_in QUALIFY row_number() OVER (PARTITION BY ticket_id {latest}) t
        LEFT JOIN orders o ON o.order_id = t.order_id;
        CREATE OR REPLACE TEMP TABLE logistics AS SELECT * FROM logistics_in
        QUALIFY row_number() OVER (PARTITION BY tracking_no, event, event_at ORDER BY seq DESC) = 1;
        CREATE OR REPLACE TEMP TABLE surveys AS
        SELECT s.* REPLACE (coalesce(s.agent, t.agent) AS agent)
        FROM (SELECT * FROM surveys_in QUALIFY row_number() OVER (PARTITION BY
                  survey_id,
                  CASE WHEN survey_id IS NULL THEN ticket_id END,
                  CASE WHEN survey_id IS NULL THEN order_id END,
                  CASE WHEN survey_id IS NULL THEN sent_at IS NOT NULL END,
                  CASE WHEN survey_id IS NULL THEN coalesce(sent_at, answered_at) END
              {latest}) s
        LEFT JOIN tickets t ON t.ticket_id = s.ticket_id;
    """)


def default_as_of(con, schema) -> int | None:
    """SPEC 3: the latest timestamp in any event column of any accepted row (before dedup):
    deadlines left out, extra timestamps only when a policy starts or stops on them."""
    parts = []
    for t in TABLES:
        cols = schema.as_of_columns(t)
        if cols:
            parts.append(f"SELECT greatest({', '.join(f'max({q(c)})' for c in cols)}) AS m FROM {t}_in")
    return con.execute(f"SELECT max(m) FROM ({' UNION ALL '.join(parts)})").fetchone()[0]


def skipped_policies(settings, present) -> dict[str, str]:
    """v2 design notes: policy -> the first of its start, stop, due columns that no file of its table
    has in its header (a defaulted column counts as present). A table without any file: none."""
    out = {}
    for p in settings.policies:
        have = present.get(p.table)
        if have is None:
            continue
        absent = [c for c in p.columns() if c not in have]
        if absent:
            out[p.name] = absent[0]
    return out


def where(p) -> str:
    """A policy applies to a row when every `when` filter matches, no `unless` filter matches,
    and its start is present (SPEC 4); "" matches an empty (NULL) value."""
    def match(col, vals):
        named = [v for v in vals if v != ""]
        parts = [f"coalesce({q(col)} IN ({', '.join(lit(v) for v in named)}), false)"] if named else []
        if "" in vals:
            parts.append(f"{q(col)} IS NULL")
        return "(" + (" OR ".join(parts) or "false") + ")"
    conds = [f"{q(p.start)} IS NOT NULL"]
    conds += [match(c, v) for c, v in p.when.items()]
    conds += [f"NOT {match(c, v)}" for c, v in p.unless.items()]
    return " AND ".join(conds)


def periods(con, settings, present: dict, as_of: int | None = None) -> tuple[int, dict]:
    """(as_of, {period name: summary dict}) for the relations described in the module doc."""
    setup(con, settings.timezone)
    if as_of is None:
        as_of = default_as_of(con, settings.schema)
    dedup(con)
    policies = settings.policies
    skipped = skipped_policies(settings, present)
    now = "NULL" if as_of is None else str(int(as_of))

    # One row per (policy, row of its table) the policy applies to; a skipped policy has none.
    # A ticket row also carries its agent and creation time (the agents' cohorts, SPEC 5).
    def cohort(p):
        if p.table == "tickets":
            return "agent AS ag, created_at AS cr, ticket_id AS tid"
        return "CAST(NULL AS VARCHAR) AS ag, CAST(NULL AS BIGINT) AS cr, CAST(NULL AS VARCHAR) AS tid"
    parts = [f"""SELECT {i} AS ord, {q(p.start)} AS st, {q(p.stop)} AS sp,
                        {q(p.due) if p.due else 'CAST(NULL AS BIGINT)'} AS due, {'true' if p.due else 'false'} AS is_due,
                        CAST({p.target if p.target is not None else 'NULL'} AS BIGINT) AS target, {cohort(p)}
                 FROM {p.table} WHERE {where(p)}"""
             for i, p in enumerate(policies) if p.name not in skipped]
    parts = parts or ["SELECT 0 AS ord, 0::BIGINT AS st, 0::BIGINT AS sp, 0::BIGINT AS due, false AS is_due, "
                      "0::BIGINT AS target, CAST(NULL AS VARCHAR) AS ag, CAST(NULL AS BIGINT) AS cr, "
                      "CAST(NULL AS VARCHAR) AS tid WHERE false"]
    con.execute("CREATE OR REPLACE TEMP TABLE sla_rows AS " + " UNION ALL ".join(parts))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE sla_state AS
        SELECT ord, st, ag, cr, tid, CASE WHEN sp >= st THEN (sp - st) / 3600.0 END AS hours,
               CASE WHEN is_due AND due IS NULL THEN 'missing_due'
                    WHEN sp < st THEN 'invalid'
                    WHEN is_due THEN CASE WHEN sp IS NOT NULL THEN CASE WHEN sp <= due THEN 'met' ELSE 'breached' END
                                          WHEN {now} > due THEN 'breached' ELSE 'pending' END
                    WHEN target IS NULL THEN 'eligible'
                    WHEN sp IS NOT NULL THEN CASE WHEN sp - st <= target THEN 'met' ELSE 'breached' END
                    WHEN {now} - st > target THEN 'breached' ELSE 'pending' END AS state
        FROM sla_rows""")

    # Shipments: first event, first delivery, longest gap up to delivery, last event.
    stall = round(float(settings.stall_hours) * 3600)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE shipments AS
        WITH ev AS (
            SELECT tracking_no, event_at, nullif(carrier, '') AS carrier,
                   event_at - lag(event_at) OVER (PARTITION BY tracking_no ORDER BY event_at) AS gap,
                   min(CASE WHEN event = 'delivered' THEN event_at END) OVER (PARTITION BY tracking_no) AS deliv
            FROM logistics)
        SELECT tracking_no, min(event_at) AS first_at, any_value(deliv) AS deliv_at,
               coalesce(max(gap) FILTER (WHERE deliv IS NULL OR event_at <= deliv), 0) > {stall}
                 OR (any_value(deliv) IS NULL AND {now} - max(event_at) > {stall}) AS stalled,
               -- The carrier cut: the carrier of the earliest event that names one.
               coalesce(arg_min(carrier, event_at) FILTER (WHERE carrier IS NOT NULL), '(none)') AS carrier
        FROM ev GROUP BY tracking_no""")

    # Tickets with the values the breakdowns cut by: an empty merchant is the order's.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE tickets_bd AS
        SELECT t.ticket_id, t.created_at,
               coalesce(nullif(t.channel, ''), '(none)') AS bd_channel,
               coalesce(nullif(CAST(t.type AS VARCHAR), ''), '(none)') AS bd_type,
               coalesce(nullif(CAST(t.priority AS VARCHAR), ''), '(none)') AS bd_priority,
               coalesce(nullif(t.category, ''), '(none)') AS bd_category,
               coalesce(nullif(t.merchant_id, ''), nullif(o.merchant_id, ''), '(none)') AS bd_merchant
        FROM tickets t LEFT JOIN orders o ON o.order_id = t.order_id""")

    out = {}
    for kind in ("week", "month"):
        if kind in settings.periods:
            out.update(per_period(con, settings, kind, present, skipped))
    return as_of, out


def per_period(con, settings, kind: str, present: dict, skipped: dict) -> dict:
    P = {"week": "wk", "month": "mo"}[kind]
    step = "INTERVAL 7 DAY" if kind == "week" else "INTERVAL 1 MONTH"
    policies = settings.policies
    ctypes = ", ".join(lit(t) for t in settings.complaint_types) or "NULL"
    surveys_present = present.get("surveys") is not None

    span_sql = f"""
        SELECT {P}(ordered_at) FROM orders
        UNION SELECT {P}(created_at) FROM tickets
        UNION SELECT {P}(resolved_at) FROM tickets WHERE resolved_at IS NOT NULL
        UNION SELECT {P}(surveyed_at) FROM tickets WHERE surveyed_at IS NOT NULL
        UNION SELECT {P}(st) FROM sla_rows
        UNION SELECT {P}(event_at) FROM logistics
        UNION SELECT {P}(sent_at) FROM surveys WHERE sent_at IS NOT NULL
        UNION SELECT {P}(answered_at) FROM surveys WHERE answered_at IS NOT NULL"""
    lo, hi = con.execute(f"SELECT min(m), max(m) FROM ({span_sql}) AS w(m)").fetchone()
    if lo is None:
        return {}
    out = {}
    d = lo
    while d <= hi:
        out[d] = empty_period(kind, d, policies, skipped)
        d = d + dt.timedelta(days=7) if kind == "week" else next_month(d)

    def rows(sql):
        return con.execute(sql).fetchall()

    for m, n in rows(f"SELECT {P}(ordered_at), count(*) FROM orders GROUP BY 1"):
        out[m]["orders"]["placed"] = n
    for m, n in rows(f"SELECT {P}(created_at), count(*) FROM tickets GROUP BY 1"):
        out[m]["tickets"]["created"] = n
    for m, n in rows(f"SELECT {P}(resolved_at), count(*) FROM tickets WHERE resolved_at IS NOT NULL GROUP BY 1"):
        out[m]["tickets"]["resolved"] = n
    for key, col in (("by_type", "type"), ("by_channel", "channel"), ("by_responsibility", "responsibility")):
        for m, k, n in rows(f"SELECT {P}(created_at), coalesce(nullif({col}, ''), '(none)'), count(*) "
                            f"FROM tickets GROUP BY ALL"):
            out[m]["tickets"][key][k] = n

    for ord_, m, elig, met, br, pend, inv, miss, p50, p90 in rows(f"""
            SELECT ord, {P}(st), count(*) FILTER (WHERE state NOT IN ('invalid', 'missing_due')),
                   count(*) FILTER (WHERE state = 'met'), count(*) FILTER (WHERE state = 'breached'),
                   count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'invalid'),
                   count(*) FILTER (WHERE state = 'missing_due'),
                   quantile_cont(hours, 0.5) FILTER (WHERE state IN ('met', 'breached')),
                   quantile_cont(hours, 0.9) FILTER (WHERE state IN ('met', 'breached'))
            FROM sla_state GROUP BY ALL"""):
        w = out[m]
        w["data_quality"]["invalid_durations"] += inv
        w["data_quality"]["missing_due"] += miss
        s = w["sla"][ord_]
        s["eligible"] = elig
        if policies[ord_].clock == "business":
            continue
        s.update(met=met, breached=br, pending=pend, p50_hours=p50, p90_hours=p90,
                 attainment=met / (met + br) if met + br else None)

    # Arrivals: tickets created in the period by local ISO weekday (Mon = 1) and hour.
    tz = lit(settings.timezone)
    for m, dow, hour, n in rows(f"""
            SELECT {P}(created_at), isodow(timezone({tz}, to_timestamp(created_at))),
                   hour(timezone({tz}, to_timestamp(created_at))), count(*)
            FROM tickets WHERE created_at IS NOT NULL GROUP BY ALL"""):
        out[m]["arrivals"]["by_weekday_hour"][dow - 1][hour] = n

    # Repeat contacts: a ticket with an order_id whose order has another ticket (another
    # ticket_id) resolved at or before its creation, the latest such resolution at most
    # repeat_window before it; in the period of its creation. A self-join, not slareport's sort.
    window = int(settings.repeat_window_seconds)
    for m, n in rows(f"""
            WITH prev AS (
                SELECT t.ticket_id, any_value(t.created_at) AS created, max(u.resolved_at) AS resolved
                FROM tickets t JOIN tickets u
                  ON u.order_id = t.order_id AND u.ticket_id <> t.ticket_id AND u.resolved_at <= t.created_at
                WHERE t.order_id IS NOT NULL AND t.created_at IS NOT NULL
                GROUP BY t.ticket_id)
            SELECT {P}(created), count(*) FROM prev WHERE created - resolved <= {window} GROUP BY 1"""):
        out[m]["repeat_contacts"]["count"] = n
    for w in out.values():
        r, created = w["repeat_contacts"], w["tickets"]["created"]
        r["window_hours"] = window / 3600
        r["share"] = r["count"] / created if created else None

    # Complaints: totals, then the top N with the previous period's count of the same category.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE complaint_counts AS
        SELECT {P}(created_at) AS monday, coalesce(nullif(category, ''), '(none)') AS category, count(*) AS n
        FROM tickets WHERE type IN ({ctypes}) GROUP BY ALL""")
    for m, n in rows("SELECT monday, sum(n) FROM complaint_counts GROUP BY 1"):
        out[m]["complaints"]["total"] = int(n)
    for m, cat, n, share, prev in rows(f"""
            SELECT c.monday, c.category, c.n, c.n / sum(c.n) OVER (PARTITION BY c.monday),
                   coalesce(p.n, 0)
            FROM complaint_counts c
            LEFT JOIN complaint_counts p ON p.category = c.category AND p.monday = c.monday - {step}
            QUALIFY row_number() OVER (PARTITION BY c.monday ORDER BY c.n DESC, c.category) <= {int(settings.top_n)}
            ORDER BY c.monday, c.n DESC, c.category"""):
        out[m]["complaints"]["top"].append(
            {"category": cat, "count": n, "share": share, "previous_count": prev})

    # Satisfaction: from the surveys when there is a surveys file (responses in the week of
    # answered_at, else sent_at; response rate by sent_at), else from the tickets (SPEC 5).
    if surveys_present:
        score, at, src = "score", "coalesce(answered_at, sent_at)", "surveys"
        rate_sql = f"SELECT {P}(sent_at), count(score), count(*) FROM surveys WHERE sent_at IS NOT NULL GROUP BY 1"
    else:
        score, at, src = "satisfaction", "coalesce(surveyed_at, resolved_at)", "tickets"
        rate_sql = (f"SELECT {P}(resolved_at), count(satisfaction), count(*) FROM tickets "
                    f"WHERE resolved_at IS NOT NULL GROUP BY 1")
    for m, resp, mean, csat, d1, d2, d3, d4, d5 in rows(f"""
            SELECT {P}({at}), count(*), avg({score}), avg(CASE WHEN {score} >= 4 THEN 1.0 ELSE 0.0 END),
                   count(*) FILTER (WHERE {score} = 1), count(*) FILTER (WHERE {score} = 2),
                   count(*) FILTER (WHERE {score} = 3), count(*) FILTER (WHERE {score} = 4),
                   count(*) FILTER (WHERE {score} = 5)
            FROM {src} WHERE {score} IS NOT NULL AND {at} IS NOT NULL GROUP BY 1"""):
        s = out[m]["satisfaction"]
        s.update(responses=resp, mean=mean, csat=csat, low_scores=d1 + d2,
                 distribution={"1": d1, "2": d2, "3": d3, "4": d4, "5": d5})
    for m, scored, n in rows(rate_sql):
        out[m]["satisfaction"]["response_rate"] = scored / n
    for m, n in rows(f"""SELECT {P}({at}), count(*) FROM {src}
                         WHERE score_invalid = 1 AND {at} IS NOT NULL GROUP BY 1"""):
        out[m]["data_quality"]["invalid_scores"] = n

    # Agents (SPEC 5): the tickets created in the period by agent, those without one as one row
    # "(unassigned)"; each ticket policy's met and breached over the cohort whenever they
    # happened (business-clock states are not computed here); the responses attributed to the
    # agent in the period (surveys by response week, else the cohort's ticket scores).
    ticket_policies = [p for p in policies if p.table == "tickets"]
    agents = {}

    def agent(m, unassigned, name):
        key = (m, unassigned, name)
        if key not in agents:
            agents[key] = {"agent": "(unassigned)" if unassigned else name, "tickets": 0,
                           "sla": {p.name: {"met": 0, "breached": 0, "attainment": None} for p in ticket_policies},
                           "responses": 0, "mean": None, "csat": None,
                           "resolved": 0, "handling_p50_hours": None, "low_scores": 0}
            if kind == "month":
                agents[key]["low_score_flagged"] = False
        return agents[key]

    for m, un, name, n in rows(f"SELECT {P}(created_at), agent IS NULL, coalesce(agent, ''), count(*) "
                               f"FROM tickets GROUP BY ALL"):
        agent(m, un, name)["tickets"] = n
    for ord_, m, un, name, met, br in rows(f"""
            SELECT ord, {P}(cr), ag IS NULL, coalesce(ag, ''), count(*) FILTER (WHERE state = 'met'),
                   count(*) FILTER (WHERE state = 'breached')
            FROM sla_state WHERE cr IS NOT NULL GROUP BY ALL"""):
        r = agent(m, un, name)["sla"][policies[ord_].name]
        if policies[ord_].clock == "business":
            r.update(met=None, breached=None, attainment=None)
        else:
            r.update(met=met, breached=br, attainment=met / (met + br) if met + br else None)
    a_at = at if surveys_present else "created_at"
    for m, un, name, resp, mean, csat in rows(f"""
            SELECT {P}({a_at}), agent IS NULL, coalesce(agent, ''), count(*), avg({score}),
                   avg(CASE WHEN {score} >= 4 THEN 1.0 ELSE 0.0 END)
            FROM {src} WHERE {score} IS NOT NULL AND {a_at} IS NOT NULL GROUP BY ALL"""):
        agent(m, un, name).update(responses=resp, mean=mean, csat=csat)
    # Agent review: resolved tickets of the cohort (resolved_at at or after created_at), their
    # median created → resolved hours, and the low scores (1–2) counted where responses are.
    for m, un, name, n, p50 in rows(f"""
            SELECT {P}(created_at), agent IS NULL, coalesce(agent, ''), count(*),
                   quantile_cont((resolved_at - created_at) / 3600.0, 0.5)
            FROM tickets WHERE resolved_at >= created_at GROUP BY ALL"""):
        agent(m, un, name).update(resolved=n, handling_p50_hours=p50)
    for m, un, name, n in rows(f"""
            SELECT {P}({a_at}), agent IS NULL, coalesce(agent, ''), count(*)
            FROM {src} WHERE {score} <= 2 AND {a_at} IS NOT NULL GROUP BY ALL"""):
        a = agent(m, un, name)
        a["low_scores"] = n
        if kind == "month":
            a["low_score_flagged"] = n > int(settings.low_score_flag)
    # By name in byte order, "(unassigned)" last.
    for (m, un, name) in sorted(agents, key=lambda k: (k[0], k[1], k[2].encode("utf-8"))):
        out[m]["agents"].append(agents[(m, un, name)])

    # Logistics.
    for m, n, deliv, stalled, p50, p90 in rows(f"""
            SELECT {P}(first_at), count(*), count(deliv_at), count(*) FILTER (WHERE stalled),
                   quantile_cont((deliv_at - first_at) / 3600.0, 0.5),
                   quantile_cont((deliv_at - first_at) / 3600.0, 0.9)
            FROM shipments GROUP BY 1"""):
        out[m]["logistics"].update(shipments=n, delivered=deliv, stalled=stalled,
                                   p50_delivery_hours=p50, p90_delivery_hours=p90)
    for m, k, n in rows(f"""SELECT {P}(event_at), coalesce(nullif(exception, ''), '(none)'), count(*)
                            FROM logistics WHERE event = 'exception' GROUP BY ALL"""):
        out[m]["logistics"]["exceptions"][k] = n

    breakdowns(con, settings, P, out, surveys_present, score, at, skipped)
    if "carrier" in settings.breakdowns_by:
        carrier_cut(con, settings, P, out)

    for w in out.values():  # count maps in key order (deterministic output, as summary.json)
        for group, key in (("tickets", "by_type"), ("tickets", "by_channel"), ("tickets", "by_responsibility"),
                           ("logistics", "exceptions")):
            w[group][key] = dict(sorted(w[group][key].items()))
    return {w["period"]["name"]: w for w in out.values()}


def breakdowns(con, settings, P, out, surveys_present, score, at, skipped) -> None:
    """The ticket breakdowns: per period and value of each cut, tickets created, each 24x7 ticket
    policy's met/breached/pending in its start's period, and the responses (surveys joined to
    their ticket, "(none)" without one); then the top N by tickets (ties by value bytes) and the
    rest folded into "(other)". Business-clock policies are left out, as everywhere here."""
    policies = settings.policies
    ords = [i for i, p in enumerate(policies) if p.table == "tickets" and p.clock != "business" and p.name not in skipped]
    for w in out.values():
        w["breakdowns"] = {"top_n": settings.breakdowns_top_n}
    if surveys_present:
        resp_sql = (f"FROM surveys s LEFT JOIN tickets_bd t ON t.ticket_id = s.ticket_id "
                    f"WHERE s.score IS NOT NULL AND coalesce(s.answered_at, s.sent_at) IS NOT NULL")
        resp_at, resp_score = "coalesce(s.answered_at, s.sent_at)", "s.score"
    else:
        resp_sql = (f"FROM tickets x JOIN tickets_bd t ON t.ticket_id = x.ticket_id "
                    f"WHERE x.satisfaction IS NOT NULL AND coalesce(x.surveyed_at, x.resolved_at) IS NOT NULL")
        resp_at, resp_score = "coalesce(x.surveyed_at, x.resolved_at)", "x.satisfaction"
    names = {i: policies[i].name for i in ords}
    for dim in (d for d in settings.breakdowns_by if d != "carrier"):
        col = f"bd_{dim}"
        cells = {}

        def cell(m, v):
            return cells.setdefault((m, v), {"value": v, "values": 1, "tickets": 0, "responses": 0,
                                             "sla": {names[i]: [0, 0, 0] for i in ords}})
        for m, v, n in con.execute(f"SELECT {P}(created_at), {col}, count(*) FROM tickets_bd GROUP BY ALL").fetchall():
            cell(m, v)["tickets"] = n
        if ords:
            for o, m, v, met, br, pe in con.execute(f"""
                    SELECT s.ord, {P}(s.st), coalesce(t.{col}, '(none)'), count(*) FILTER (WHERE state = 'met'),
                           count(*) FILTER (WHERE state = 'breached'), count(*) FILTER (WHERE state = 'pending')
                    FROM sla_state s JOIN tickets_bd t ON t.ticket_id = s.tid
                    WHERE s.ord IN ({', '.join(map(str, ords))}) AND s.state IN ('met', 'breached', 'pending')
                    GROUP BY ALL""").fetchall():
                cell(m, v)["sla"][names[o]] = [met, br, pe]
        for m, v, n in con.execute(f"SELECT {P}({resp_at}), coalesce(t.{col}, '(none)'), count(*) {resp_sql} "
                                   f"GROUP BY ALL").fetchall():
            cell(m, v)["responses"] = n
        by_period = {}
        for (m, _), c in cells.items():
            by_period.setdefault(m, []).append(c)
        top = settings.breakdowns_top_n
        for m, cs in by_period.items():
            cs.sort(key=lambda c: (-c["tickets"], c["value"].encode("utf-8")))
            rows = cs[:top]
            if len(cs) > top:
                other = {"value": "(other)", "values": len(cs) - top, "tickets": 0, "responses": 0,
                         "sla": {names[i]: [0, 0, 0] for i in ords}}
                for c in cs[top:]:
                    other["tickets"] += c["tickets"]
                    other["responses"] += c["responses"]
                    for p, (a, b, d) in c["sla"].items():
                        x = other["sla"][p]
                        other["sla"][p] = [x[0] + a, x[1] + b, x[2] + d]
                rows.append(other)
            out[m]["breakdowns"][dim] = rows
    for w in out.values():
        for dim in settings.breakdowns_by:
            w["breakdowns"].setdefault(dim, [])


def carrier_cut(con, settings, P, out) -> None:
    """The logistics cut by carrier: per period, each carrier's shipments (by first event),
    delivered, stalled and delivery-hour percentiles, and the exception events in their own
    period under their shipment's carrier; top N by shipments (ties by value bytes), the rest in
    "(other)" with its percentiles over all its durations."""
    cells = {}

    def cell(m, v):
        return cells.setdefault((m, v), {"value": v, "values": 1, "shipments": 0, "delivered": 0, "stalled": 0,
                                         "exceptions": 0, "hours": []})
    for m, v, n, deliv, stalled, hours in con.execute(f"""
            SELECT {P}(first_at), carrier, count(*), count(deliv_at), count(*) FILTER (WHERE stalled),
                   list((deliv_at - first_at) / 3600.0) FILTER (WHERE deliv_at IS NOT NULL)
            FROM shipments GROUP BY ALL""").fetchall():
        c = cell(m, v)
        c.update(shipments=n, delivered=deliv, stalled=stalled, hours=list(hours or []))
    for m, v, n in con.execute(f"""
            SELECT {P}(l.event_at), s.carrier, count(*) FROM logistics l JOIN shipments s USING (tracking_no)
            WHERE l.event = 'exception' GROUP BY ALL""").fetchall():
        cell(m, v)["exceptions"] = n

    def quantile(x, p):  # linear interpolation, as quantile_cont
        if not x:
            return None
        x = sorted(x)
        h = (len(x) - 1) * p
        lo = int(h)
        return x[-1] if lo >= len(x) - 1 else x[lo] + (h - lo) * (x[lo + 1] - x[lo])

    def finish(c):
        r = {k: c[k] for k in ("value", "values", "shipments", "delivered", "stalled", "exceptions")}
        r["p50_delivery_hours"] = quantile(c["hours"], 0.5)
        r["p90_delivery_hours"] = quantile(c["hours"], 0.9)
        return r
    by_period = {}
    for (m, _), c in cells.items():
        by_period.setdefault(m, []).append(c)
    top = settings.breakdowns_top_n
    for m, cs in by_period.items():
        cs.sort(key=lambda c: (-c["shipments"], c["value"].encode("utf-8")))
        rows = [finish(c) for c in cs[:top]]
        if len(cs) > top:
            other = {"value": "(other)", "values": len(cs) - top, "shipments": 0, "delivered": 0, "stalled": 0,
                     "exceptions": 0, "hours": []}
            for c in cs[top:]:
                for k in ("shipments", "delivered", "stalled", "exceptions", "hours"):
                    other[k] += c[k]
            rows.append(finish(other))
        out[m]["breakdowns"]["carrier"] = rows
    for w in out.values():
        w["breakdowns"].setdefault("carrier", [])


def next_month(d: dt.date) -> dt.date:
    return dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)


def iso_name(monday: dt.date) -> str:
    y, w, _ = monday.isocalendar()
    return f"{y}-W{w:02d}"


def empty_period(kind: str, first: dt.date, policies, skipped: dict) -> dict:
    last = first + dt.timedelta(days=6) if kind == "week" else next_month(first) - dt.timedelta(days=1)
    name = iso_name(first) if kind == "week" else f"{first.year}-{first.month:02d}"
    head = {"schema_version": SCHEMA_VERSION}
    if kind == "week":
        head.update(week=name, week_start=first.isoformat(), week_end=last.isoformat())
    head["period"] = {"kind": kind, "name": name, "start": first.isoformat(), "end": last.isoformat()}

    def sla(p):
        s = {"policy": p.name, "table": p.table, "target_hours": p.target_hours, "due": p.due,
             "clock": p.clock, "goal": p.goal}
        if p.name in skipped:
            s["skipped"] = skipped[p.name]
        s.update(eligible=0, met=0, breached=0, pending=0, attainment=None, p50_hours=None, p90_hours=None)
        return s

    return head | {
        "orders": {"placed": 0},
        "tickets": {"created": 0, "resolved": 0, "by_type": {}, "by_channel": {}, "by_responsibility": {}},
        "arrivals": {"by_weekday_hour": [[0] * 24 for _ in range(7)]},
        "repeat_contacts": {"window_hours": 168, "count": 0, "share": None},
        "sla": [sla(p) for p in policies],
        "complaints": {"total": 0, "top": []},
        "satisfaction": {"responses": 0, "mean": None, "csat": None,
                         "distribution": {str(i): 0 for i in range(1, 6)}, "low_scores": 0,
                         "response_rate": None},
        "logistics": {"shipments": 0, "delivered": 0, "stalled": 0, "exceptions": {},
                      "p50_delivery_hours": None, "p90_delivery_hours": None},
        "agents": [],
        "data_quality": {"invalid_durations": 0, "invalid_scores": 0, "missing_due": 0},
    }
