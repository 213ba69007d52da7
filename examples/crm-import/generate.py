#!/usr/bin/env python3
"""Writes the synthetic CRM exports of examples/crm-import/exports/ (fixed seed: the same
files every run). Each is shaped like a real export; see README.md for the map of each.

    python3 examples/crm-import/generate.py
"""
import csv
import datetime as dt
import io
import pathlib
import random

OUT = pathlib.Path(__file__).resolve().parent / "exports"
rng = random.Random(15)


def day(start, end):
    """A random day in [start, end]."""
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def write(name, header, rows, newline="\n"):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    (OUT / name).write_bytes(buf.getvalue().encode("utf-8"))


def iso(d):
    return d.isoformat() if d else ""


# 1. A sales-pipeline export with a status column: lost deals carry a close date too.
rows = []
agents = ["Moses Frase", "Darcel Schlecht", "Zane Levy", "Anna Snelling", "Vicki Laflamme"]
products = ["GTX Basic", "GTX Pro", "MG Special", "MG Advanced"]
for i in range(240):
    engage = day(dt.date(2023, 1, 1), dt.date(2023, 12, 20))
    status = rng.choices(["Won", "Lost", "Engaging", "Prospecting"], [45, 35, 12, 8])[0]
    close = engage + dt.timedelta(days=rng.randrange(5, 120)) if status in ("Won", "Lost") else None
    value = rng.randrange(50, 6000) if status == "Won" else (0 if status == "Lost" else "")
    rows.append([f"OPP{i:04d}", rng.choice(agents), rng.choice(products), f"Account {rng.randrange(60)}",
                 status, iso(engage), iso(close), value])
rows.append(rows[17])  # re-exported: the same deal twice (`unique` counts it once)
write("pipeline.csv", ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date",
                       "close_date", "close_value"], rows)

# 2. A Salesforce opportunity report as Excel re-saves it: M/D/YYYY, CRLF, "$1,234.00",
#    IsWon/IsClosed flags, and an expected close date on open deals.
rows = []
for i in range(160):
    created = day(dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    stage = rng.choices(["Closed Won", "Closed Lost", "Negotiation", "Prospecting"], [40, 30, 15, 15])[0]
    close = created + dt.timedelta(days=rng.randrange(3, 90))
    won, closed = stage == "Closed Won", stage.startswith("Closed")
    amount = f"${rng.randrange(1000, 90000):,}.{rng.choice(['00', '50', '99'])}"
    rows.append([f"0065g00000{i:05d}", f"Deal {i}", stage, amount, f"{close.month}/{close.day}/{close.year}",
                 f"{created.month}/{created.day}/{created.year}", "TRUE" if won else "FALSE",
                 "TRUE" if closed else "FALSE", rng.choice(["Web", "Partner", "Phone Inquiry", ""])])
write("salesforce.csv", ["Opportunity ID", "Opportunity Name", "Stage", "Amount", "Close Date", "Created Date",
                         "Won", "Closed", "Lead Source"], rows, newline="\r\n")

# 3. An analytics team's seeds: leads -> contacts (lead_id) -> opportunities (account_id).
#    Leads arrive steadily from 2024-01 to 2024-09; the funnel narrows at each step, so every
#    month's later stages are smaller than its earlier ones.
leads, contacts, opps = [], [], []
sources = ["organic search", "paid search", "events", "referral"]
for i in range(1, 1081):
    created = day(dt.date(2024, 1, 1), dt.date(2024, 9, 30))
    leads.append([i, iso(created), rng.choices(sources, [40, 30, 15, 15])[0], f"lead{i}@example.com"])
    if rng.random() < 0.35:
        mql = created + dt.timedelta(days=rng.randrange(0, 10))
        account = f"A{i:05d}"
        contacts.append([f"C{i:05d}", i, iso(mql), account])
        if rng.random() < 0.45:
            opened = mql + dt.timedelta(days=rng.randrange(1, 12))
            stage = rng.choices(["Closed Won", "Closed Lost", "Open"], [45, 35, 20])[0]
            close = opened + dt.timedelta(days=rng.randrange(7, 40)) if stage != "Open" else None
            amount = rng.randrange(20, 400) * 100 if stage == "Closed Won" else ""
            opps.append([f"O{i:05d}", account, iso(opened), iso(close), stage, amount])
rng.shuffle(contacts)
write("leads.csv", ["id", "created_at", "source", "email"], leads)
write("contacts.csv", ["contact_id", "lead_id", "mql_at", "account_id"], contacts)
write("opportunities.csv", ["opp_id", "account_id", "created", "close_date", "stage", "amount"], opps)

# 4. A Salesforce OpportunityHistory export: one row per stage change, some deals won and
#    then lost again, rows in no particular order.
rows = []
for i in range(90):
    t = day(dt.date(2024, 1, 1), dt.date(2024, 5, 31))
    amount = rng.randrange(5, 120) * 500
    path = ["Prospecting", "Qualification", "Proposal"]
    end = rng.choices(["Closed Won", "Closed Lost", None, "won-then-lost"], [40, 30, 20, 10])[0]
    if end == "won-then-lost":
        path += ["Closed Won", "Closed Lost"]
    elif end:
        path.append(end)
    for stage in path:
        rows.append([f"0065g0000{i:05d}", stage, t.isoformat() + "T09:30:00.000+0000",
                     amount if stage != "Closed Lost" else 0])
        t += dt.timedelta(days=rng.randrange(1, 20))
rng.shuffle(rows)
write("history.csv", ["OpportunityId", "StageName", "CreatedDate", "Amount"], rows)

# 5. A Google Ads "Campaign report" as the UI downloads it: a title line and a date-range line
#    above the header, one row per campaign and day, costs like "1,234.56", a "Total: Campaign"
#    row after each campaign and a "Total: Account" row at the end, CRLF line endings. Its own
#    random generator, so the files above stay as they were.
ads_rng = random.Random(23)
campaigns = [("Brand - Search", 40, 90), ("Generic - Search", 120, 260), ("Competitors - Search", 30, 80)]
first, last = dt.date(2024, 1, 1), dt.date(2024, 9, 30)
lines = ["Campaign report", '"January 1, 2024 - September 30, 2024"',
         "Campaign,Day,Campaign type,Currency code,Cost,Impr.,Clicks"]


def money(cents):
    """Cents as Google Ads writes a cost: 1,234.56 (quoted in CSV when it has a comma)."""
    text = f"{cents // 100:,}.{cents % 100:02d}"
    return f'"{text}"' if "," in text else text


account = 0
for name, low, high in campaigns:
    total = 0
    d = first
    while d <= last:
        # Campaigns pause now and then: no row that day.
        if ads_rng.random() < 0.92:
            cents = ads_rng.randrange(low * 100, high * 100)
            # A launch week spends more: some days cross a thousand.
            if d.month == 3 and d.day <= 7 and name.startswith("Generic"):
                cents *= 5
            total += cents
            impressions = cents // 7 + ads_rng.randrange(100)
            lines.append(f"{name},{iso(d)},Search,USD,{money(cents)},{impressions},{impressions // 25}")
        d += dt.timedelta(days=1)
    lines.append(f"Total: Campaign,--,--,USD,{money(total)},--,--")
    account += total
lines.append(f"Total: Account,--,--,USD,{money(account)},--,--")
(OUT / "google-ads.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))

# 6. Finance's sheet of the sales team's monthly cost (salaries, commissions, tools), saved
#    from a spreadsheet: month-end dates M/D/YYYY and "$48,250.00".
rows = []
for m in range(1, 10):
    end = dt.date(2024, m + 1, 1) - dt.timedelta(days=1)
    cents = ads_rng.randrange(4200000, 5600000, 25)
    rows.append([f"{end.month}/{end.day}/{end.year}", "Sales", f"${cents // 100:,}.{cents % 100:02d}",
                 "includes commissions" if m % 3 == 0 else ""])
write("finance.csv", ["Period end", "Department", "Sales cost", "Notes"], rows)
