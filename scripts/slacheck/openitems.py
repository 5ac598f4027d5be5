"""open_items.csv (every clock still open at as_of) recomputed in DuckDB SQL from the deduplicated
tables metrics.periods() leaves behind, and compared with slareport's file.

Compared: per policy, the number of open rows (stop absent, start present, filters passing, not
invalid, due present for a due policy); per policy and state (pending / breached_open) for the
policies whose state this checker computes (due policies and 24x7 targets; business-clock
targets need the calendar); and for those, every row's id, state and due instant."""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections import Counter

from . import metrics

KEY = {"tickets": "ticket_id", "orders": "order_id", "surveys": "survey_id"}


def expected(con, settings, skipped: dict, as_of: int) -> list[tuple]:
    """(policy, state or None, id, due or None) per open row; state and due None where the
    clock is on business hours (not computed here)."""
    now = int(as_of)
    out = []
    for p in settings.policies:
        if p.name in skipped:
            continue
        due = metrics.q(p.due) if p.due else (f"{metrics.q(p.start)} + {int(p.target)}" if p.target is not None else "NULL")
        decided = p.due is not None or p.target is not None
        rows = con.execute(f"""
            SELECT coalesce({metrics.q(KEY[p.table])}, ''), {due} AS due
            FROM {p.table}
            WHERE {metrics.where(p)} AND {metrics.q(p.stop)} IS NULL
              {f"AND {metrics.q(p.due)} IS NOT NULL" if p.due else ""}""").fetchall()
        for rid, d in rows:
            if not decided:
                out.append((p.name, None, rid, None))
            else:
                out.append((p.name, "breached_open" if now > d else "pending", rid, int(d)))
    return out


def actual(reports: str) -> list[dict] | None:
    path = os.path.join(reports, "open_items.csv")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def parse_iso(s: str) -> int:
    return int(dt.datetime.fromisoformat(s).timestamp())


def compare(con, settings, skipped: dict, as_of: int, reports: str, tally, required: bool) -> None:
    got = actual(reports)
    if got is None:
        if required:
            tally.check("open_items.csv", "present", "present", "<absent>")
        return
    want = expected(con, settings, skipped, as_of)
    computed = {p.name for p in settings.policies if p.due is not None or p.target is not None}
    # Open rows per policy, for every policy.
    wc = Counter(p for p, _, _, _ in want)
    gc = Counter(r["policy"] for r in got)
    for name in sorted(set(wc) | set(gc)):
        tally.check("open_items.csv", f"{name}.open", wc[name], gc[name], generic="open_items.csv <policy> open rows")
    # Per state, and row by row (id, state, due), where the state is computed here.
    ws = Counter((p, s) for p, s, _, _ in want if p in computed)
    gs = Counter((r["policy"], r["state"]) for r in got if r["policy"] in computed)
    for key in sorted(set(ws) | set(gs)):
        tally.check("open_items.csv", f"{key[0]}.{key[1]}", ws[key], gs[key],
                    generic="open_items.csv <policy> rows per state")
    wrows = Counter((p, s, i, d) for p, s, i, d in want if p in computed)
    grows = Counter((r["policy"], r["state"], r["id"].removeprefix("'") if r["id"][:2] in ("'=", "'+", "'-", "'@") else r["id"],
                     parse_iso(r["due"])) for r in got if r["policy"] in computed)
    tally.check("open_items.csv", "rows (policy, state, id, due) only in the check",
                0, sum((wrows - grows).values()), generic="open_items.csv rows (policy, state, id, due)")
    tally.check("open_items.csv", "rows (policy, state, id, due) only in slareport",
                0, sum((grows - wrows).values()), generic="open_items.csv rows (policy, state, id, due)")
    # hours_left is due − as_of.
    bad = sum(1 for r in got if abs(float(r["hours_left"]) - (parse_iso(r["due"]) - as_of) / 3600) > 0.00005 + 1e-9)
    tally.check("open_items.csv", "hours_left = due − as_of", 0, bad, generic="open_items.csv hours_left")
