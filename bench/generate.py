#!/usr/bin/env python3
"""Writes a valid smarketing project of a given size, and optionally a Hugo site holding the
same meeting notes as pages, so both tools render the same markdown.

The same arguments always give the same files (a seeded generator, no clock).

    bench/generate.py --meetings 2000 --months 24 --goals 40 --out /dev/shm/p [--hugo /dev/shm/h]
"""
import argparse
import os
import random

MARKETING = ["Dana Lee", "Priya Shah", "Tom Becker", "Ana Silva"]
SALES = ["Sam Ortiz", "Lee Chen", "Maria Gomez", "Jon Park"]
STAGES = ["leads", "mql", "sql", "opportunities", "won"]
CHANNELS = ["organic search", "paid search", "webinars", "events", "referrals"]
METRICS = ["stage.leads", "stage.won", "conversion.mql.sql", "conversion.leads.won", "revenue", "cac",
           "cost_per_lead", "retention", "sales_cycle_days", "days_to_mql", "lead_response_hours",
           "lead_velocity_rate", None]
WORDS = ("pipeline lead scoring webinar campaign forecast handoff persona pricing renewal churn "
         "territory quota enablement content nurture sequence demo trial onboarding win loss "
         "review budget channel partner referral event retention upsell segment").split()


def month_add(y, m, k):
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def sentence(rng, n=12):
    w = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(w).capitalize() + "."


def body(rng, title):
    """About 30 lines of markdown: headings, lists, a table, a task list, emphasis, links."""
    lines = [f"## Context", "", sentence(rng, 18), sentence(rng, 14), "",
             "## Discussion", ""]
    for _ in range(6):
        lines.append(f"- **{rng.choice(WORDS)}**: {sentence(rng, 10)}")
    lines += ["", "| Topic | Owner | State |", "|---|---|---|"]
    for _ in range(4):
        lines.append(f"| {rng.choice(WORDS)} | {rng.choice(MARKETING + SALES)} | {rng.choice(['open', 'done'])} |")
    lines += ["", "## Next steps", ""]
    for _ in range(4):
        lines.append(f"- [{rng.choice([' ', 'x'])}] {sentence(rng, 7)}")
    lines += ["", f"See the [dashboard](https://intranet.example/{rng.choice(WORDS)}) and ~~old plan~~ notes.",
              "", sentence(rng, 20)]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meetings", type=int, default=2000)
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--goals", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--hugo")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    c = os.path.join(a.out, "content")
    # Plan, lost deals and pipeline draw from their own generator, so the rest of the project
    # is the same as before they were added.
    prng = random.Random(a.seed + 1000)
    plan = []
    for d in ["funnel", "goals", "meetings", "plan"]:
        os.makedirs(os.path.join(c, d), exist_ok=True)
    with open(os.path.join(c, "site.yaml"), "w") as f:
        f.write("title: Benchmark report\norganization: Bench Co\ncurrency: USD\nteams:\n"
                f"  marketing: {{name: Marketing, members: [{', '.join(MARKETING)}]}}\n"
                f"  sales: {{name: Sales, members: [{', '.join(SALES)}]}}\n")
    y0, m0 = month_add(2026, 10, -(a.months - 1))
    months = [month_add(y0, m0, k) for k in range(a.months)]
    by_year = {}
    cust = 400
    for (y, m) in months:
        leads = rng.randint(1500, 2500)
        mql = int(leads * rng.uniform(0.28, 0.36))
        sql = int(mql * rng.uniform(0.25, 0.4))
        opp = int(sql * rng.uniform(0.45, 0.6))
        won = int(opp * rng.uniform(0.2, 0.35))
        lost = rng.randint(2, 9)
        s = (f"- month: {y}-{m:02d}\n  stages: {{leads: {leads}, mql: {mql}, sql: {sql}, opportunities: {opp}, won: {won}}}\n"
             f"  revenue: {won * rng.randint(9000, 14000)}\n  spend: {{marketing: {rng.randint(70, 95) * 1000}, sales: {rng.randint(100, 130) * 1000}}}\n"
             f"  customers: {{start: {cust}, new: {won}, lost: {lost}}}\n  sales_cycle_days: {rng.randint(35, 50)}\n"
             f"  days_to_mql: {rng.randint(40, 80) / 10}\n  lead_response_hours: {rng.randint(40, 150) / 10}\n  by_channel:\n")
        avg = prng.randint(9000, 14000)
        extra = (f"  lost: {int(won * prng.uniform(1.8, 2.6))}\n  pipeline_created: {opp * avg}\n"
                 f"  pipeline_open: {int(opp * avg * prng.uniform(1.3, 1.7))}\n")
        s = s.replace("  by_channel:\n", extra + "  by_channel:\n")
        plan.append(f"- month: {y}-{m:02d}\n  stages: {{leads: {prng.randint(1800, 2200)}, won: {int(opp * 0.28)}}}\n"
                    f"  revenue: {int(opp * 0.28) * avg}\n  pipeline_created: {opp * avg}\n")
        cust += won - lost
        for ch in CHANNELS:
            cl = int(leads * rng.uniform(0.1, 0.3))
            s += f"    {ch}: {{leads: {cl}, mql: {int(cl * 0.3)}, won: {int(won * rng.uniform(0.1, 0.3))}}}\n"
        by_year.setdefault(y, []).append(s)
    for y, parts in by_year.items():
        with open(os.path.join(c, "funnel", f"{y}.yaml"), "w") as f:
            f.write("".join(parts))
    with open(os.path.join(c, "plan", "plan.yaml"), "w") as f:
        f.write("".join(plan))
    with open(os.path.join(c, "goals", "goals.yaml"), "w") as f:
        for g in range(a.goals):
            metric = METRICS[g % len(METRICS)]
            (sy, sm) = months[rng.randrange(len(months))]
            (dy, dm) = month_add(sy, sm, rng.randint(1, 12))
            owners = rng.choice(["[marketing, sales]", "[marketing]", "[sales]"])
            f.write(f"- id: goal-{g}\n  title: Goal number {g}\n  owners: {owners}\n  unit: number\n"
                    f"  baseline: {rng.randint(0, 50)}\n  target: {rng.randint(60, 150)}\n  start: {sy}-{sm:02d}\n  due: {dy}-{dm:02d}\n")
            if metric:
                f.write(f"  metric: {metric}\n")
            else:
                f.write(f"  checkins:\n    - {{month: {sy}-{sm:02d}, value: {rng.randint(10, 60)}}}\n")
    first_day = (months[0][0], months[0][1])
    span_days = len(months) * 28
    notes = []
    for i in range(a.meetings):
        k = (i * span_days) // max(a.meetings, 1)
        y, m = month_add(first_day[0], first_day[1], k // 28)
        d = k % 28 + 1
        date = f"{y}-{m:02d}-{d:02d}"
        title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} review {i}"
        slug = f"{date}-meeting-{i}"
        att = rng.sample(MARKETING, 2) + rng.sample(SALES, rng.randint(0, 2))
        owner = rng.choice(att)
        dy, dm = month_add(y, m, 1)
        # Teams close most items: those due well before the newest month are nearly all done.
        recent = (y * 12 + m) >= (months[-1][0] * 12 + months[-1][1] - 2)
        done = "false" if rng.random() < (0.5 if recent else 0.03) else "true"
        text = body(rng, title)
        fm = (f"title: {title}\ndate: {date}\nattendees: [{', '.join(att)}]\n"
              f"decisions:\n  - {sentence(rng, 8)}\nactions:\n  - {{task: {sentence(rng, 5)[:-1]}, owner: {owner}, due: {dy}-{dm:02d}-{d:02d}, done: {done}}}\n"
              f"shoutouts: [\"{sentence(rng, 6)}\"]\n")
        with open(os.path.join(c, "meetings", slug + ".md"), "w") as f:
            f.write("---\n" + fm + "---\n" + text)
        notes.append((slug, title, date, text))
    if a.hugo:
        os.makedirs(os.path.join(a.hugo, "content", "meetings"), exist_ok=True)
        os.makedirs(os.path.join(a.hugo, "layouts", "_default"), exist_ok=True)
        with open(os.path.join(a.hugo, "hugo.toml"), "w") as f:
            f.write('baseURL = "http://example.org/"\ntitle = "Benchmark"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n')
        with open(os.path.join(a.hugo, "layouts", "_default", "single.html"), "w") as f:
            f.write("<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1><p>{{ .Date.Format \"2006-01-02\" }}</p>{{ .Content }}</body></html>\n")
        with open(os.path.join(a.hugo, "layouts", "_default", "list.html"), "w") as f:
            f.write("<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n")
        for slug, title, date, text in notes:
            with open(os.path.join(a.hugo, "content", "meetings", slug + ".md"), "w") as f:
                f.write(f"---\ntitle: \"{title}\"\ndate: {date}\n---\n{text}")


if __name__ == "__main__":
    main()
