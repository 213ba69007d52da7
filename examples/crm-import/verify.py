#!/usr/bin/env python3
"""Checks `smarketing import` on the example exports against figures this script works out on
its own (plain Python: csv, datetime, statistics), month by month: every stage count, revenue,
lost, sales_cycle_days, days_to_mql, channel count and channel revenue of the CRM exports, and
the spend of the project's Google Ads report and finance sheet (the three maps of imports/).

    python3 examples/crm-import/verify.py target/debug/smarketing
"""
import collections
import csv
import datetime as dt
import pathlib
import statistics
import subprocess
import sys

import yaml

EX = pathlib.Path(__file__).resolve().parent / "exports"
MAPS = EX.parent / "imports"


def rows(name):
    with open(EX / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def iso(s):
    return dt.date.fromisoformat(s[:10]) if s.strip() else None


def us(s):
    if not s.strip():
        return None
    m, d, y = s.split("/")
    return dt.date(int(y), int(m), int(d))


def money(s):
    s = s.replace("$", "").replace(",", "").strip()
    return float(s) if s else None


def same(a, b):
    """Equal, numbers within a millionth (sums of decimals in floating point)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) < 1e-6
    return a == b


def month(d):
    return f"{d.year:04d}-{d.month:02d}"


class Expect:
    def __init__(self, stages, amount, channel):
        self.stages, self.amount, self.channel = stages, amount, channel
        self.counts = collections.defaultdict(lambda: collections.Counter())
        self.revenue = collections.defaultdict(float)
        self.cycle = collections.defaultdict(list)
        self.to_mql = collections.defaultdict(list)
        self.channels = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
        self.channel_revenue = collections.defaultdict(lambda: collections.defaultdict(float))
        self.months = set()
        self.lost = None

    def add(self, dates, amount=None, channel=None, cycle=None, lost=None):
        if lost:
            self.lost = self.lost or collections.Counter()
            self.lost[month(lost)] += 1
            self.months.add(month(lost))
        for s in self.stages:
            d = dates.get(s)
            if d:
                self.months.add(month(d))
                self.counts[month(d)][s] += 1
                if self.channel:
                    self.channels[month(d)][channel or "unknown"][s] += 1
        last = dates.get(self.stages[-1])
        if last and amount is not None:
            self.revenue[month(last)] += amount
            if self.channel:
                self.channel_revenue[month(last)][channel or "unknown"] += amount
        a, b = cycle or (self.stages[0], self.stages[-1])
        if dates.get(a) and dates.get(b) and (dates[b] - dates[a]).days >= 0:
            self.cycle[month(dates[b])].append((dates[b] - dates[a]).days)
        if dates.get("leads") and dates.get("mql") and (dates["mql"] - dates["leads"]).days >= 0:
            self.to_mql[month(dates["mql"])].append((dates["mql"] - dates["leads"]).days)

    def check(self, got, keep=lambda m: True):
        want = sorted(m for m in self.months if keep(m))
        assert [m["month"] for m in got] == want, ([m["month"] for m in got], want)
        for m in got:
            k = m["month"]
            assert m["stages"] == {s: self.counts[k][s] for s in self.stages}, (k, m["stages"])
            if self.amount:
                assert abs(m["revenue"] - self.revenue[k]) < 1e-6, (k, m["revenue"], self.revenue[k])
            if self.lost is not None:  # every month has lost, 0 when none
                assert m["lost"] == self.lost[k], (k, m.get("lost"), self.lost[k])
            for key, values in (("sales_cycle_days", self.cycle[k]), ("days_to_mql", self.to_mql[k])):
                assert m.get(key) == (statistics.median(values) if values else None), (k, key, m.get(key))
            if self.channel:
                want_ch = {c: {s: n[s] for s in self.stages} for c, n in self.channels[k].items()}
                if self.amount:  # each channel's revenue beside its counts
                    for c in want_ch:
                        want_ch[c]["revenue"] = self.channel_revenue[k][c]
                assert same(m["by_channel"], want_ch), (k, m["by_channel"], want_ch)
        return len(got)


def imported(binary, name, csv_name=None, maps=EX):
    csv_path = EX / (csv_name or f"{name}.csv")
    out = subprocess.run([binary, "import", str(csv_path), "--map", str(maps / f"{name}.map.yaml")],
                         check=True, capture_output=True, text=True).stdout
    return yaml.safe_load(out)


def check_spend(got, want, side, channel=None):
    """A spend import: per month only spend.<side> (and the channel's spend)."""
    assert [m["month"] for m in got] == sorted(want), ([m["month"] for m in got], sorted(want))
    for m in got:
        k = m["month"]
        expected = {"month": k, "spend": {side: want[k]}}
        if channel:
            expected["by_channel"] = {channel: {"spend": want[k]}}
        assert same(m, expected), (m, expected)
    return len(got)


def main(binary):
    # 1. Status column: won only when deal_stage is Won; a repeated id counts once.
    e, seen = Expect(["opportunities", "won"], True, True), set()
    for r in rows("pipeline.csv"):
        if r["opportunity_id"] in seen:
            continue
        seen.add(r["opportunity_id"])
        won = iso(r["close_date"]) if r["deal_stage"].strip().lower() == "won" else None
        e.add({"opportunities": iso(r["engage_date"]), "won": won},
              money(r["close_value"]) if won else None, r["product"])
    n = e.check(imported(binary, "pipeline"))
    # 2. Salesforce report: M/D/YYYY, flags.
    e = Expect(["opportunities", "closed", "won"], True, True)
    for r in rows("salesforce.csv"):
        close = us(r["Close Date"])
        won = close if r["Won"] == "TRUE" else None
        e.add({"opportunities": us(r["Created Date"]), "closed": close if r["Closed"] == "TRUE" else None,
               "won": won}, money(r["Amount"]) if won else None, r["Lead Source"].strip())
    n += e.check(imported(binary, "salesforce"))
    # 3. Two joins: leads -> contacts (lead_id) -> opportunities (account_id), 2024-01..09.
    contacts = {c["lead_id"]: c for c in rows("contacts.csv")}
    opps = {o["account_id"]: o for o in rows("opportunities.csv")}
    e = Expect(["leads", "mql", "opportunities", "won"], True, True)
    for r in rows("leads.csv"):
        c = contacts.get(r["id"], {})
        o = opps.get(c.get("account_id", ""), {})
        won = iso(o.get("close_date", "")) if o.get("stage") == "Closed Won" else None
        e.add({"leads": iso(r["created_at"]), "mql": iso(c.get("mql_at", "")),
               "opportunities": iso(o.get("created", "")), "won": won},
              money(o.get("amount", "")) if won else None, r["source"],
              lost=iso(o.get("close_date", "")) if o.get("stage") == "Closed Lost" else None)
    n += e.check(imported(binary, "crm", "leads.csv", MAPS), keep=lambda m: "2024-01" <= m <= "2024-09")
    # 4. Stage history: earliest date per stage; won only if the latest row is Closed Won.
    by_id = collections.defaultdict(list)
    for i, r in enumerate(rows("history.csv")):
        by_id[r["OpportunityId"]].append((iso(r["CreatedDate"]), i, r))
    e = Expect(["opportunities", "proposals", "won"], True, False)
    names = {"opportunities": "Prospecting", "proposals": "Proposal", "won": "Closed Won"}
    for changes in by_id.values():
        latest = max(changes, key=lambda c: (c[0], c[1]))
        dates = {s: min((c[0] for c in changes if c[2]["StageName"] == v), default=None) for s, v in names.items()}
        if latest[2]["StageName"] != "Closed Won":
            dates["won"] = None
        e.add(dates, float(latest[2]["Amount"]) if dates["won"] else None)
    n += e.check(imported(binary, "history"))
    # 5. Google Ads: the header on line 3, "Total: ..." rows left out, costs like "1,234.56".
    with open(EX / "google-ads.csv", newline="", encoding="utf-8") as f:
        lines = f.read().splitlines()[2:]
    spend = collections.defaultdict(float)
    for r in csv.DictReader(lines):
        if r["Campaign"].strip().lower().startswith("total") or not any(v.strip() for v in r.values()):
            continue
        spend[r["Day"][:7]] += money(r["Cost"])
    n += check_spend(imported(binary, "google-ads", maps=MAPS), spend, "marketing", "Google Ads")
    # 6. Finance: month-end dates M/D/YYYY, "$48,736.50".
    spend = collections.defaultdict(float)
    for r in rows("finance.csv"):
        spend[month(us(r["Period end"]))] += money(r["Sales cost"])
    n += check_spend(imported(binary, "finance", maps=MAPS), spend, "sales")
    print(f"verify.py: {n} imported months match the independent figures")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "smarketing")
