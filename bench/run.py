#!/usr/bin/env python3
"""Benchmarks smarketing against Hugo on the same meeting notes, in one run, alternating the
two tools, output on tmpfs. Reports median wall time, the ratio, peak memory, the rebuild time
under `serve` after saving one meeting, and CSV import throughput. Every build is measured
beside Hugo's on the same notes (the 2,000- and the 10,000-meeting project, a rebuild and a
first build each, as ratios). The import of a million rows is measured beside DuckDB computing
the same aggregation from the same file (bench/duckdb_funnel.py), alternating, when the bench's
own virtual environment bench/.venv (made on first use with `python3 -m venv`, then
`pip install duckdb`) has the `duckdb` package; the script checks that both found the same
figures. --smoke never uses DuckDB.

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


def build_pair(tmp, project, out, ours, theirs, hugo, cold):
    """One build by each tool, smarketing first, into `out` (emptied first when `cold`)."""
    for tool, dest in ((None, out), (hugo, out + "-hugo")):
        if tool is None or hugo:
            if cold:
                shutil.rmtree(dest, ignore_errors=True)
            cmd = [BIN, "build", "--root", project, "--output", dest, "-q"] if tool is None else \
                [hugo, "--quiet", "-s", project + "-hugo", "-d", dest]
            (ours if tool is None else theirs).append(timed(cmd))


def compare_builds(tmp, name, project, size, hugo, runs):
    """Table rows: a rebuild (into the previous output, as a user's second build) and a first
    build (into an empty folder) of `project` by smarketing and by Hugo on the same notes,
    alternating the two tools in one run; median wall time of each, and their ratios."""
    rebuild, hrebuild, first, hfirst = [], [], [], []
    out = os.path.join(tmp, f"out-{name}")
    build_pair(tmp, project, out, [], [], hugo, cold=True)  # the output a rebuild replaces
    for _ in range(runs):
        build_pair(tmp, project, out, rebuild, hrebuild, hugo, cold=False)
        build_pair(tmp, project, out + "-cold", first, hfirst, hugo, cold=True)
    med = lambda v: statistics.median(x[0] for x in v)
    peak = lambda v: max(x[1] for x in v)
    what = f"{size[0]} meetings / {size[1]} months / {size[2]} goals"
    rows = [(f"build, {what} (rebuild)", f"{med(rebuild) * 1000:.0f} ms", f"{peak(rebuild):.0f} MB")]
    if hugo:
        rows.append((f"hugo, the same {size[0]} notes (rebuild)", f"{med(hrebuild) * 1000:.0f} ms",
                     f"{peak(hrebuild):.0f} MB"))
        rows.append((f"ratio smarketing / hugo, rebuild, {size[0]} notes", f"**{med(rebuild) / med(hrebuild):.2f}**", ""))
        rows.append((f"first build into an empty folder, {size[0]} notes: smarketing / hugo",
                     f"{med(first) * 1000:.0f} / {med(hfirst) * 1000:.0f} ms = **{med(first) / med(hfirst):.2f}**",
                     f"{peak(first):.0f} / {peak(hfirst):.0f} MB"))
    else:
        rows.append((f"first build into an empty folder, {size[0]} notes", f"{med(first) * 1000:.0f} ms",
                     f"{peak(first):.0f} MB"))
    return rows


VENV = os.path.join(HERE, ".venv")


def duckdb_python():
    """The Python of the bench's own virtual environment (bench/.venv, ignored by git) with the
    `duckdb` package, made on first use; None (with the reason printed) when it cannot be."""
    py = os.path.join(VENV, "bin", "python")
    try:
        if not os.path.exists(py):
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        if subprocess.run([py, "-c", "import duckdb"], stderr=subprocess.DEVNULL).returncode != 0:
            subprocess.run([py, "-m", "pip", "install", "--quiet", "duckdb"], check=True)
        return py
    except (subprocess.CalledProcessError, OSError) as e:
        print(f"(no DuckDB comparison: cannot set up {VENV} with the duckdb package: {e})", file=sys.stderr)
        return None


def duckdb_time(py, csv_path):
    """(seconds of DuckDB's query, the process's peak RSS in MB, DuckDB's version, its figures)."""
    import json
    p = subprocess.Popen([py, os.path.join(HERE, "duckdb_funnel.py"), csv_path], stdout=subprocess.PIPE)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench/duckdb_funnel.py failed")
    r = json.loads(out)
    return r["seconds"], usage.ru_maxrss / 1024, r["version"], r["months"]


def funnel_months(path):
    """The months of a funnel file as `import` writes it (a list of months, two-space indents):
    {month: {figure: value, "by_channel": {channel: {figure: value}}}}."""
    months, month, channel, section = {}, None, None, None
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        key, _, value = line.strip().partition(":")
        value = value.strip()
        if key.startswith("- month"):
            month = months.setdefault(value, {})
            section = None
        elif indent == 2:
            section = key
            if value:
                month[key] = float(value)
        elif section == "stages" and indent == 4:
            month[key] = float(value)
        elif section == "by_channel" and indent == 4:
            channel = month.setdefault("by_channel", {}).setdefault(key, {})
        elif section == "by_channel" and indent == 6:
            channel[key] = float(value)
    return months


def check_duckdb_agrees(duck, funnel):
    """Stops the benchmark when DuckDB's figures differ from the import's: the two timings are
    only comparable if both computed the same thing."""
    ours = funnel_months(funnel)
    for m, fig in duck.items():
        mine = ours.get(m, {})
        for k, v in fig.items():
            if k == "by_channel":
                for ch, cf in v.items():
                    for ck, cv in cf.items():
                        if abs(mine.get("by_channel", {}).get(ch, {}).get(ck, 0) - cv) > 1e-6:
                            sys.exit(f"duckdb and the import differ: {m} {ch} {ck}: {cv} against "
                                     f"{mine.get('by_channel', {}).get(ch, {}).get(ck)}")
            elif v is not None and abs(mine.get(k, 0) - v) > 1e-6:
                sys.exit(f"duckdb and the import differ: {m} {k}: {v} against {mine.get(k)}")
    if set(ours) != set(duck):
        sys.exit(f"duckdb and the import found other months: {sorted(duck)} against {sorted(ours)}")


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
        rows += compare_builds(tmp, "medium", p2, sizes["m"], hugo, runs)
        p10 = generate(tmp, "large", *sizes["l"], hugo=True)
        rows += compare_builds(tmp, "large", p10, sizes["l"], hugo, 1 if a.smoke else max(3, runs // 2))
        # A report page must not grow with the project's age (docs/figures.md#meetings-action-items-and-the-checklist): the largest one
        # of this project, and of the same meetings spread over 30 years.
        name, size = largest_report(os.path.join(tmp, "out-large"))
        rows.append((f"largest report page, {sizes['l'][1]} months ({name})", f"{size / 1024:.0f} KB", ""))
        old_months = sizes["l"][1] * 3
        p30 = generate(tmp, "old", sizes["l"][0], old_months, sizes["l"][2], hugo=True)
        t, m = timed([BIN, "build", "--root", p30, "--output", os.path.join(tmp, "out-old"), "-q"])
        name, size = largest_report(os.path.join(tmp, "out-old"))
        rows.append((f"build, {sizes['l'][0]} meetings / {old_months} months; largest report page ({name})",
                     f"{t * 1000:.0f} ms; {size / 1024:.0f} KB", f"{m:.0f} MB"))
        if hugo:
            ht, hm = timed([hugo, "--quiet", "-s", p30 + "-hugo", "-d", os.path.join(tmp, "out-old-hugo")])
            rows.append((f"hugo, the same {sizes['l'][0]} notes over {old_months} months (one first build each)",
                         f"{ht * 1000:.0f} ms; ratio {t / ht:.2f}", f"{hm:.0f} MB"))
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
        duck = None if a.smoke else duckdb_python()
        imp, ducks = [], []
        for i in range(1 if a.smoke else 5):
            # Alternating: the import, then DuckDB's query of the same file.
            imp.append(timed([BIN, "import", csv_path, "--map", map_path, "--output",
                              os.path.join(tmp, f"funnel{i}.yaml"), "-q"]))
            if duck:
                ducks.append(duckdb_time(duck, csv_path))
        t = statistics.median(x[0] for x in imp)
        rows.append((f"import, {sizes['rows']:,} CSV rows", f"{t * 1000:.0f} ms ({sizes['rows'] / t / 1e6:.2f} M rows/s)",
                     f"{max(x[1] for x in imp):.0f} MB"))
        if ducks:
            d = statistics.median(x[0] for x in ducks)
            rows.append((f"duckdb {ducks[0][2]}, the same aggregation of the same file (query only, no Python start)",
                         f"{d * 1000:.0f} ms", f"{max(x[1] for x in ducks):.0f} MB"))
            rows.append(("ratio import / duckdb (median of each)", f"{t / d:.2f}", ""))
            check_duckdb_agrees(ducks[0][3], os.path.join(tmp, "funnel0.yaml"))
        elif not a.smoke:
            rows.append(("duckdb", "not measured: no `duckdb` package in bench/.venv (see above)", ""))
        # A project fed by two exports: the same CRM rows and as many ad-cost rows, one run of
        # imports/ (target: under 3x the CRM rows alone).
        ads_path = os.path.join(tmp, "ads.csv")
        write_ads_csv(ads_path, sizes["rows"])
        maps = import_maps(tmp, csv_path, ads_path)
        both = [timed([BIN, "import", "--maps", maps, "--force", "-q"]) for _ in range(1 if a.smoke else 3)]
        t2 = statistics.median(x[0] for x in both)
        rows.append((f"import, {sizes['rows']:,} CRM rows + {sizes['rows']:,} ad-cost rows (imports/)",
                     f"{t2 * 1000:.0f} ms ({t2 / t:.2f}x the CRM rows alone)", f"{max(x[1] for x in both):.0f} MB"))
        print(f"load average at the end: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f} "
              f"on {os.cpu_count()} cores (the ratios are only comparable on a quiet machine)")
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
