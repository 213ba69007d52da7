#!/usr/bin/env python3
"""Benchmarks smarketing against Hugo on the same meeting notes, in one run, alternating the
two tools, output on tmpfs. Reports median wall time, the ratio, peak memory, the rebuild time
under `serve` after saving one meeting, and CSV import throughput.

    python3 bench/run.py              # full sizes (the figures in BENCHMARKS.md)
    python3 bench/run.py --smoke      # tiny sizes: checks the script works (CI); no targets
    python3 bench/run.py --sizes [--bin target/debug/smarketing]
                                      # page sizes only: the ten- and thirty-year projects built
                                      # once each, the largest page of each kind; no timings

Every run prints the largest page of each kind (the overview, a report, a meeting, a year's
meetings, ...) of the ten- and thirty-year projects, built as of today: none may pass 400 KB.

Timing targets are reported, never asserted: machines are shared and noisy.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BIN = os.path.join(REPO, "target", "release", "smarketing")


def timed(cmd, **kw):
    """Runs a command; returns (seconds, peak RSS in MB)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def generate(tmp, name, meetings, months, goals, hugo=False):
    out = os.path.join(tmp, name)
    cmd = [sys.executable, os.path.join(HERE, "generate.py"), "--meetings", str(meetings), "--months", str(months),
           "--goals", str(goals), "--out", out]
    if hugo:
        cmd += ["--hugo", out + "-hugo"]
    subprocess.run(cmd, check=True)
    return out


def largest_report(site):
    """The largest reports/YYYY-MM/index.html of a built site: (month, bytes)."""
    reports = os.path.join(site, "reports")
    sizes = [(os.path.getsize(os.path.join(reports, m, "index.html")), m) for m in os.listdir(reports)]
    size, month = max(sizes)
    return month, size


PAGE_LIMIT = 400 * 1024


def page_kind(rel):
    """A page's kind: its path with the parts that vary from page to page named by their shape
    (`reports/YYYY-MM/index.html`, `meetings/<slug>/index.html`)."""
    parts = rel.split("/")
    out = []
    for i, part in enumerate(parts[:-1]):
        if re.fullmatch(r"\d{4}", part):
            part = "YYYY"
        elif re.fullmatch(r"\d{4}-\d{2}", part):
            part = "YYYY-MM"
        elif re.fullmatch(r"\d{4}-Q\d", part):
            part = "YYYY-Qn"
        elif i == 1 and parts[0] == "meetings":
            part = "<slug>"
        out.append(part)
    return "/".join(out + parts[-1:])


def largest_by_kind(site):
    """{kind: (bytes, path)} of the largest HTML page of each kind of a built site."""
    best = {}
    for dirpath, _, files in os.walk(site):
        for name in files:
            if not name.endswith(".html"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, site)
            size = os.path.getsize(path)
            kind = page_kind(rel)
            if kind not in best or best[kind][0] < size:
                best[kind] = (size, rel)
    return best


def size_rows(label, site):
    """Table rows: the largest page of each kind, largest first, flagged over 400 KB."""
    rows = []
    for kind, (size, rel) in sorted(largest_by_kind(site).items(), key=lambda kv: -kv[1][0]):
        flag = " **over 400 KB**" if size > PAGE_LIMIT else ""
        rows.append((f"{label}: largest {kind} ({rel})", f"{size / 1024:.0f} KB{flag}", ""))
    return rows


def sizes_only(binary, sizes):
    """Generates the ten- and thirty-year projects, builds each once, prints the largest page
    of each kind; returns 1 when a page passes 400 KB."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    tmp = tempfile.mkdtemp(prefix="smarketing-sizes-", dir=base)
    rows = []
    try:
        meetings, months, goals = sizes["l"]
        for label, span in (("ten years", months), ("thirty years", months * 3)):
            project = generate(tmp, f"p{span}", meetings, span, goals)
            out = os.path.join(tmp, f"out{span}")
            subprocess.run([binary, "build", "--root", project, "--output", out, "-q"], check=True)
            rows += size_rows(f"{label}, {meetings} meetings / {span} months", out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("| page | size | |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")
    return 1 if any("over 400 KB" in r[1] for r in rows) else 0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode(errors="replace")
    except Exception:
        return ""


def serve_rebuild(project, rounds):
    """Seconds from saving one meeting file to its new title being served."""
    port = free_port()
    p = subprocess.Popen([BIN, "serve", "--root", project, "--port", str(port), "-q"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if get(f"http://127.0.0.1:{port}/__smarketing/version"):
                break
            time.sleep(0.05)
        meetings = os.path.join(project, "content", "meetings")
        name = sorted(os.listdir(meetings))[-1]
        path = os.path.join(meetings, name)
        slug = name[:-3]
        original = open(path).read()
        times = []
        for i in range(rounds):
            marker = f"Edited title {i} {time.time_ns()}"
            text = re.sub(r"^title: .*$", f"title: {marker}", original, count=1, flags=re.M)
            start = time.perf_counter()
            with open(path, "w") as f:
                f.write(text)
            while marker not in get(f"http://127.0.0.1:{port}/meetings/{slug}/index.html"):
                if time.perf_counter() - start > 30:
                    sys.exit("serve did not pick up the change within 30 s")
                time.sleep(0.005)
            times.append(time.perf_counter() - start)
            time.sleep(0.3)
        with open(path, "w") as f:
            f.write(original)
        return statistics.median(times)
    finally:
        p.terminate()
        p.wait()


def write_csv(path, rows):
    import random
    rng = random.Random(5)
    channels = ["organic", "paid", "webinar", "event", "referral", ""]
    with open(path, "w") as f:
        f.write("id,created,mql_date,won_date,source,amount\n")
        for i in range(rows):
            m = rng.randint(1, 12)
            d = rng.randint(1, 20)
            mql = f"2026-{m:02d}-{d + rng.randint(0, 8):02d}" if rng.random() < 0.4 else ""
            won = f"2026-{m:02d}-{d + rng.randint(5, 8):02d} 10:00:00" if mql and rng.random() < 0.2 else ""
            amount = rng.randint(1000, 50000) if won else ""
            f.write(f"{i},2026-{m:02d}-{d:02d},{mql},{won},{rng.choice(channels)},{amount}\n")


def write_ads_csv(path, rows):
    """A Google Ads campaign report of `rows` daily rows: two title lines above the header,
    costs like "1,234.56", a "Total: Campaign" row per campaign and a "Total: Account" row."""
    import random
    rng = random.Random(6)
    per = max(1, rows // 40)
    with open(path, "w") as f:
        f.write('Campaign report\n"January 1, 2026 - December 31, 2026"\n')
        f.write("Campaign,Day,Campaign type,Currency code,Cost,Impr.,Clicks\n")
        written = 0
        for c in range(40):
            n = per if c < 39 else rows - written
            for i in range(n):
                cents = rng.randint(100, 250000)
                cost = f"{cents // 100:,}.{cents % 100:02d}"
                f.write(f"Campaign {c},2026-{i % 12 + 1:02d}-{i % 28 + 1:02d},Search,USD,\"{cost}\",{cents // 7},{cents // 300}\n")
            written += n
            f.write("Total: Campaign,--,--,USD,--,--,--\n")
        f.write("Total: Account,--,--,USD,--,--,--\n")


def import_maps(tmp, crm_csv, ads_csv):
    """imports/ with the CRM map and the ad-cost map, each naming its csv and output."""
    maps = os.path.join(tmp, "imports")
    os.makedirs(maps, exist_ok=True)
    with open(os.path.join(maps, "crm.map.yaml"), "w") as f:
        f.write(f"csv: {crm_csv}\noutput: {os.path.join(tmp, 'crm.yaml')}\n"
                "stages: {leads: created, mql: mql_date, won: won_date}\nchannel: source\namount: amount\n")
    with open(os.path.join(maps, "ads.map.yaml"), "w") as f:
        f.write(f"csv: {ads_csv}\noutput: {os.path.join(tmp, 'ads.yaml')}\nheader_row: 3\n"
                "ignore: {Campaign: [\"Total*\"]}\nchannel: {value: Google Ads}\nspend: {date: Day, amount: Cost}\n")
    return maps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, one run: checks the script, not the speed")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--sizes", action="store_true", help="page sizes only: one build of each large project, no timings")
    ap.add_argument("--bin", default=BIN, help="the binary --sizes builds with (default: the release build)")
    a = ap.parse_args()
    runs = 1 if a.smoke else a.runs
    sizes = {"m": (60, 6, 5), "l": (200, 12, 20), "rows": 5000} if a.smoke else \
        {"m": (2000, 24, 40), "l": (10000, 120, 300), "rows": 1_000_000}
    if a.sizes:
        sys.exit(sizes_only(a.bin, sizes))
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    tmp = tempfile.mkdtemp(prefix="smarketing-bench-", dir=base)
    hugo = shutil.which("hugo")
    try:
        rows = []
        p2 = generate(tmp, "medium", *sizes["m"], hugo=True)
        ours, theirs, ours_mem, theirs_mem = [], [], [], []
        ours_cold, theirs_cold = [], []
        for _ in range(runs):
            # A rebuild (into the previous output, as a user's second build), then a first build
            # into an empty folder, each tool in turn.
            t, m = timed([BIN, "build", "--root", p2, "--output", os.path.join(tmp, "out-medium"), "-q"])
            ours.append(t)
            ours_mem.append(m)
            if hugo:
                t, m = timed([hugo, "--quiet", "-s", p2 + "-hugo", "-d", os.path.join(tmp, "out-hugo")])
                theirs.append(t)
                theirs_mem.append(m)
            shutil.rmtree(os.path.join(tmp, "cold"), ignore_errors=True)
            ours_cold.append(timed([BIN, "build", "--root", p2, "--output", os.path.join(tmp, "cold"), "-q"])[0])
            if hugo:
                shutil.rmtree(os.path.join(tmp, "cold-hugo"), ignore_errors=True)
                theirs_cold.append(timed([hugo, "--quiet", "-s", p2 + "-hugo", "-d", os.path.join(tmp, "cold-hugo")])[0])
        med = statistics.median(ours)
        rows.append((f"build, {sizes['m'][0]} meetings / {sizes['m'][1]} months / {sizes['m'][2]} goals",
                     f"{med * 1000:.0f} ms", f"{max(ours_mem):.0f} MB"))
        if hugo:
            hmed = statistics.median(theirs)
            rows.append((f"hugo, the same {sizes['m'][0]} notes", f"{hmed * 1000:.0f} ms", f"{max(theirs_mem):.0f} MB"))
            rows.append(("ratio smarketing / hugo (median of each)", f"{med / hmed:.2f}", ""))
            cold, hcold = statistics.median(ours_cold), statistics.median(theirs_cold)
            rows.append(("first build into an empty folder: smarketing / hugo",
                         f"{cold * 1000:.0f} / {hcold * 1000:.0f} ms = {cold / hcold:.2f}", ""))
        p10 = generate(tmp, "large", *sizes["l"])
        big, big_mem = [], []
        for _ in range(max(3, runs // 2) if not a.smoke else 1):
            t, m = timed([BIN, "build", "--root", p10, "--output", os.path.join(tmp, "out-large"), "-q"])
            big.append(t)
            big_mem.append(m)
        rows.append((f"build, {sizes['l'][0]} meetings / {sizes['l'][1]} months / {sizes['l'][2]} goals",
                     f"{statistics.median(big) * 1000:.0f} ms", f"{max(big_mem):.0f} MB"))
        # A report page must not grow with the project's age (docs/figures.md#meetings-action-items-and-the-checklist): the largest one
        # of this project, and of the same meetings spread over 30 years.
        name, size = largest_report(os.path.join(tmp, "out-large"))
        rows.append((f"largest report page, {sizes['l'][1]} months ({name})", f"{size / 1024:.0f} KB", ""))
        old_months = sizes["l"][1] * 3
        p30 = generate(tmp, "old", sizes["l"][0], old_months, sizes["l"][2])
        t, m = timed([BIN, "build", "--root", p30, "--output", os.path.join(tmp, "out-old"), "-q"])
        name, size = largest_report(os.path.join(tmp, "out-old"))
        rows.append((f"build, {sizes['l'][0]} meetings / {old_months} months; largest report page ({name})",
                     f"{t * 1000:.0f} ms; {size / 1024:.0f} KB", f"{m:.0f} MB"))
        # No page of either grows past 400 KB: the largest page of each kind.
        rows += size_rows(f"{sizes['l'][1]} months", os.path.join(tmp, "out-large"))
        rows += size_rows(f"{old_months} months", os.path.join(tmp, "out-old"))
        rounds = 2 if a.smoke else 7
        repo_copy = os.path.join(tmp, "default")
        shutil.copytree(os.path.join(REPO, "content"), os.path.join(repo_copy, "content"))
        rows.append(("serve: saved meeting served again, default project", f"{serve_rebuild(repo_copy, rounds) * 1000:.0f} ms", ""))
        rows.append((f"serve: saved meeting served again, {sizes['l'][0]} meetings", f"{serve_rebuild(p10, rounds) * 1000:.0f} ms", ""))
        csv_path = os.path.join(tmp, "rows.csv")
        write_csv(csv_path, sizes["rows"])
        map_path = os.path.join(tmp, "map.yaml")
        with open(map_path, "w") as f:
            f.write("stages: {leads: created, mql: mql_date, won: won_date}\nchannel: source\namount: amount\n")
        imp = [timed([BIN, "import", csv_path, "--map", map_path, "--output", os.path.join(tmp, f"funnel{i}.yaml"), "-q"])
               for i in range(1 if a.smoke else 3)]
        t = statistics.median(x[0] for x in imp)
        rows.append((f"import, {sizes['rows']:,} CSV rows", f"{t * 1000:.0f} ms ({sizes['rows'] / t / 1e6:.2f} M rows/s)",
                     f"{max(x[1] for x in imp):.0f} MB"))
        # A project fed by two exports: the same CRM rows and as many ad-cost rows, one run of
        # imports/ (target: under 3x the CRM rows alone).
        ads_path = os.path.join(tmp, "ads.csv")
        write_ads_csv(ads_path, sizes["rows"])
        maps = import_maps(tmp, csv_path, ads_path)
        both = [timed([BIN, "import", "--maps", maps, "--force", "-q"]) for _ in range(1 if a.smoke else 3)]
        t2 = statistics.median(x[0] for x in both)
        rows.append((f"import, {sizes['rows']:,} CRM rows + {sizes['rows']:,} ad-cost rows (imports/)",
                     f"{t2 * 1000:.0f} ms ({t2 / t:.2f}x the CRM rows alone)", f"{max(x[1] for x in both):.0f} MB"))
        print("| case | median wall time | peak memory |")
        print("|---|---|---|")
        for r in rows:
            print(f"| {r[0]} | {r[1]} | {r[2]} |")
        if not hugo:
            print("\n(hugo not found: install Debian's `hugo` package for the comparison)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
