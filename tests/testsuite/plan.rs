//! The figures a revenue team runs its month on (docs/figures.md): lost deals, pipeline, the
//! plan and the quarter, checked on real projects through the binary.

use crate::common::*;
use serde_json::Value;

/// A fresh `init` project in a temp dir, with extra files written into it.
fn project_with(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    assert!(run(&["init", root.to_str().unwrap(), "--quiet"]).status.success());
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    (tmp, root)
}

/// `check --format json`: the exit code and every diagnostic.
fn diags(root: &std::path::Path) -> (Option<i32>, Vec<Value>) {
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json"]);
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)));
    (o.status.code(), v.as_array().unwrap().clone())
}

fn message_at(all: &[Value], file: &str, line: u64, column: u64) -> String {
    all.iter()
        .find(|d| d["file"] == file && d["line"] == line && d["column"] == column)
        .unwrap_or_else(|| panic!("no diagnostic at {file}:{line}:{column} in {all:#?}"))["message"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn lost_and_pipeline_are_read_and_checked_at_their_place() {
    let good = "- month: 2020-01\n  stages: {leads: 100, mql: 40, sql: 20, opportunities: 10, won: 4}\n  lost: 6\n  pipeline_created: 120000\n  pipeline_open: 340000.5\n";
    let (_t, root) = project_with(&[("content/funnel/extra.yaml", good)]);
    let (code, all) = diags(&root);
    assert_eq!(code, Some(0), "{all:#?}");

    let bad =
        "- month: 2020-01\n  stages: {leads: 100, won: 4}\n  lost: -6\n  pipeline_created: .nan\n  pipeline_open: -1\n";
    let (_t, root) = project_with(&[("content/funnel/extra.yaml", bad)]);
    let (code, all) = diags(&root);
    assert_eq!(code, Some(1));
    let f = "content/funnel/extra.yaml";
    assert_eq!(message_at(&all, f, 3, 9), "expected a whole number of 0 or more for lost, found `-6`");
    assert_eq!(message_at(&all, f, 4, 21), "expected a number for pipeline_created, found `.nan`");
    assert_eq!(message_at(&all, f, 5, 18), "pipeline_open cannot be negative, found `-1`");
}

#[test]
fn the_schema_lists_the_new_funnel_fields() {
    let o = run(&["schema", "--kind", "funnel"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let props = &v["items"]["properties"];
    assert_eq!(props["lost"]["type"][0], "integer", "{props:#}");
    assert_eq!(props["lost"]["minimum"], 0, "{props:#}");
    for money in ["pipeline_created", "pipeline_open"] {
        assert_eq!(props[money]["type"][0], "number", "{props:#}");
        assert_eq!(props[money]["minimum"], 0, "{props:#}");
    }
}

/// Two months of Q2 2025 with lost deals and pipeline, and a plan for the whole quarter.
const Q2_FUNNEL: &str = "\
- month: 2025-04
  stages: {leads: 1000, mql: 300, sql: 120, opportunities: 60, won: 12}
  lost: 28
  revenue: 120000
  pipeline_created: 400000
  pipeline_open: 900000
  sales_cycle_days: 40
- month: 2025-05
  stages: {leads: 1100, mql: 330, sql: 130, opportunities: 66, won: 15}
  lost: 30
  revenue: 165000
  pipeline_created: 450000
  pipeline_open: 800000
  sales_cycle_days: 40
";

const Q2_PLAN: &str = "\
- month: 2025-04
  stages: {leads: 1000, won: 15}
  revenue: 150000
  pipeline_created: 500000
- month: 2025-05
  stages: {leads: 1000, won: 15}
  revenue: 150000
  pipeline_created: 500000
- month: 2025-06
  stages: {won: 20}
  revenue: 200000
";

fn build(root: &std::path::Path) -> std::path::PathBuf {
    let out = root.join("public");
    let o = run(&["build", "-q", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

fn json(out: &std::path::Path, name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("data").join(name)).unwrap()).unwrap()
}

fn close(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("expected a number, found {v}"));
    assert!((got - want).abs() < 1e-9, "{got} != {want}");
}

#[test]
fn the_month_against_plan_worked_by_hand() {
    let (_t, root) = project_with(&[("content/funnel/q2.yaml", Q2_FUNNEL), ("content/plan/2025.yaml", Q2_PLAN)]);
    let out = build(&root);
    let may = json(&out, "2025-05.json");
    // 15 won, 30 lost: 15 / 45, on closed deals.
    close(&may["win_rate"], 15.0 / 45.0);
    assert_eq!(may["win_rate_basis"], "closed");
    // Sales velocity with the same win rate: 66 × (1/3) × (165000 / 15) / 40.
    close(&may["sales_velocity"], 66.0 / 3.0 * 11000.0 / 40.0);
    assert_eq!(
        may["plan"],
        serde_json::json!({"stages": {"leads": 1000, "won": 15}, "revenue": 150000.0, "pipeline_created": 500000.0})
    );
    close(&may["attainment"]["revenue"], 1.1);
    close(&may["attainment"]["stages"]["leads"], 1.1);
    close(&may["attainment"]["stages"]["won"], 1.0);
    assert_eq!(may["attainment"]["stages"]["mql"], Value::Null);
    close(&may["attainment"]["pipeline_created"], 0.9);
    // Quarter to date: (120,000 + 165,000) / (150,000 + 150,000); won (12 + 15) / 30.
    close(&may["qtd"]["revenue"], 0.95);
    close(&may["qtd"]["stages"]["won"], 0.9);
    close(&may["qtd"]["pipeline_created"], 0.85);
    // Coverage: 800,000 open / June's 200,000 still to win.
    close(&may["coverage"], 4.0);
    close(&may["pipeline_open"], 800000.0);
    close(&may["pipeline_change"]["open"], -100000.0 / 900000.0);
    close(&may["pipeline_change"]["created"], 50000.0 / 400000.0);
    let april = json(&out, "2025-04.json");
    // 900,000 / (150,000 + 200,000).
    close(&april["coverage"], 900000.0 / 350000.0);
    close(&april["win_rate"], 12.0 / 40.0);
    // A month of the sample project: no `lost`; init's sample plan asks 250,000 of revenue,
    // so October's 290,000 is 116% of it; no pipeline open, so no coverage.
    let oct = json(&out, "2026-10.json");
    assert_eq!(oct["win_rate_basis"], "stages");
    close(&oct["plan"]["revenue"], 250000.0);
    close(&oct["attainment"]["revenue"], 1.16);
    assert_eq!(oct["attainment"]["pipeline_created"], Value::Null);
    assert_eq!(oct["coverage"], Value::Null);
    // The glossary says which win rate the months have.
    let glossary = std::fs::read_to_string(out.join("glossary/index.html")).unwrap();
    assert!(glossary.contains("in the 2 of 5 funnel months that give lost deals"), "{glossary}");
}

#[test]
fn a_plan_month_twice_and_an_unknown_stage_are_errors_at_their_place() {
    let dup = "- month: 2025-06\n  stages: {wonn: 3}\n";
    let (_t, root) = project_with(&[("content/plan/2025.yaml", Q2_PLAN), ("content/plan/extra.yaml", dup)]);
    let (code, all) = diags(&root);
    assert_eq!(code, Some(1));
    let f = "content/plan/extra.yaml";
    assert_eq!(message_at(&all, f, 1, 10), "the plan for 2025-06 appears twice: also in content/plan/2025.yaml:9");
    assert_eq!(message_at(&all, f, 2, 12), "unknown stage `wonn`");
    let hint = all.iter().find(|d| d["message"] == "unknown stage `wonn`").unwrap()["hint"].as_str().unwrap();
    assert!(hint.starts_with("did you mean `won`?"), "{hint}");
}

#[test]
fn every_quarter_with_data_has_its_page_and_json_from_sums() {
    let commentary = "---\ntitle: Half the plan\n---\nApril and May brought **57%** of the quarter's revenue plan.\n";
    let (_t, root) = project_with(&[
        ("content/funnel/q2.yaml", Q2_FUNNEL),
        ("content/plan/2025.yaml", Q2_PLAN),
        ("content/reports/2025-Q2.md", commentary),
        ("content/reports/2024-Q1.md", "No data that quarter.\n"),
    ]);
    let out = root.join("public");
    let o = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "https://example.com/r/",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("commentary for 2024-Q1, a quarter with no funnel data"), "{}", stderr(&o));
    let q = json(&out, "2025-Q2.json");
    assert_eq!(q["quarter"], "2025-Q2");
    assert_eq!(q["months"], serde_json::json!(["2025-04", "2025-05"]));
    assert_eq!(q["complete"], true);
    // Flows summed: leads 1000 + 1100, won 12 + 15, lost 28 + 30, revenue 120,000 + 165,000.
    assert_eq!(q["stages"]["leads"], 2100);
    assert_eq!(q["stages"]["won"], 27);
    assert_eq!(q["lost"], 58);
    close(&q["revenue"], 285000.0);
    // Rates from the sums: win rate 27 / 85; leads → MQL 630 / 2100 (both months 0.3).
    close(&q["win_rate"], 27.0 / 85.0);
    assert_eq!(q["win_rate_basis"], "closed");
    close(&q["conversion"]["leads.mql"], 630.0 / 2100.0);
    // Opportunities → won: (12 + 15) / (60 + 66), not the mean of 0.2 and 0.2273.
    close(&q["conversion"]["opportunities.won"], 27.0 / 126.0);
    // The stock at the end: May's pipeline open.
    close(&q["pipeline_open"], 800000.0);
    close(&q["pipeline_created"], 850000.0);
    // Every month of the quarter has a plan: revenue 285,000 of 500,000.
    close(&q["plan"]["revenue"], 500000.0);
    close(&q["attainment"]["revenue"], 0.57);
    // Won is planned in every month: 27 of 15 + 15 + 20.
    close(&q["attainment"]["stages"]["won"], 27.0 / 50.0);
    // Leads are not planned in June: no quarter plan for them.
    assert_eq!(q["attainment"]["stages"]["leads"], Value::Null);
    // Medians are per month.
    assert_eq!(q["medians"][1]["sales_cycle_days"], 40.0);
    assert_eq!(q["vs_previous_quarter"]["quarter"], "2025-Q1");
    assert_eq!(q["vs_previous_quarter"]["revenue"], Value::Null);
    assert_eq!(q["vs_last_year"]["quarter"], "2024-Q2");
    // The sample project's quarter: Q3 2026 against Q2 2025 is no comparison, but Q4 2026 is in
    // progress as of 30 Nov 2026 and compares with Q3.
    let q4 = json(&out, "2026-Q4.json");
    assert_eq!((q4["complete"].as_bool(), q4["in_progress"].as_bool()), (Some(false), Some(true)));
    assert_eq!(q4["vs_previous_quarter"]["quarter"], "2026-Q3");

    let page = std::fs::read_to_string(out.join("reports/2025-Q2/index.html")).unwrap();
    assert!(page.contains("Quarter review, Q2 2025"), "{page}");
    assert!(page.contains("Commentary: Half the plan"), "{page}");
    assert!(page.contains("<strong>57%</strong>"), "{page}");
    assert!(page.contains("USD\u{a0}285,000"), "{page}");
    assert!(page.contains("57.0%"), "{page}");
    assert!(page.contains("aria-labelledby=\"quarter-months-title\""), "the months-against-plan chart: {page}");
    // Its months carry their year on the first and the last: Apr 2025, May, Jun 2025.
    let chart = &page[page.find("quarter-months-title").unwrap()..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    for month in [">\nApr 2025\n<", ">\nMay\n<", ">\nJun 2025\n<"] {
        assert!(chart.contains(month), "{month} in {chart}");
    }
    assert!(page.contains("31.8% of closed deals"), "{page}");
    let q4_page = std::fs::read_to_string(out.join("reports/2026-Q4/index.html")).unwrap();
    assert!(q4_page.contains("<strong>In progress</strong>, as of 30 Nov 2026"), "{q4_page}");
    // Part of a quarter against a whole one: counts are not judged, only worded "so far".
    let leads_card = &q4_page[q4_page.find("id=\"headline\"").unwrap()..];
    let leads_card = &leads_card[..leads_card.find("Revenue").unwrap()];
    assert!(leads_card.contains("vs Q3 2026 so far"), "{leads_card}");
    assert!(!leads_card.contains("tone-bad") && !leads_card.contains("tone-good"), "{leads_card}");
    // Each monthly report links its quarter; the overview links every quarter.
    let may = std::fs::read_to_string(out.join("reports/2025-05/index.html")).unwrap();
    assert!(may.contains("href=\"../../reports/2025-Q2/index.html\">Q2 2025 review</a>"), "{may}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for q in ["2025-Q2", "2026-Q3", "2026-Q4"] {
        assert!(index.contains(&format!("href=\"reports/{q}/index.html\"")), "{q} missing: {index}");
    }
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://example.com/r/reports/2025-Q2/index.html"), "{sitemap}");
}

#[test]
fn the_report_shows_plan_and_pipeline_beside_last_month() {
    let (_t, root) = project_with(&[("content/funnel/q2.yaml", Q2_FUNNEL), ("content/plan/2025.yaml", Q2_PLAN)]);
    let out = build(&root);
    let may = std::fs::read_to_string(out.join("reports/2025-05/index.html")).unwrap();
    let revenue = &may[may.find("id=\"card-revenue\"").unwrap()..];
    let revenue = &revenue[..revenue.find("id=\"card-cac\"").unwrap()];
    // 165,000 of 150,000 this month; 285,000 of 300,000 quarter to date.
    assert!(revenue.contains("110.0%</span> <span class=\"card-vs\">of plan</span>"), "{revenue}");
    assert!(revenue.contains("95.0%</span> <span class=\"card-vs\">of plan, <abbr"), "{revenue}");
    assert!(revenue.contains("tone-good") && revenue.contains("tone-bad"), "{revenue}");
    // April is the quarter's first month: one line for both.
    let april = std::fs::read_to_string(out.join("reports/2025-04/index.html")).unwrap();
    assert!(april.contains("of plan, month and <abbr"), "{april}");
    // Pipeline with its change and coverage in words.
    assert!(may.contains("USD\u{a0}800,000"), "{may}");
    assert!(may.contains("−11.1%"), "{may}");
    assert!(
        may.contains("4.0× the rest of the quarter&#39;s plan (USD\u{a0}200,000 still to win in Jun 2025)"),
        "{may}"
    );
    assert!(may.contains("15 won ÷ 45") || may.contains("33.3% of closed deals"), "{may}");
    // Without init's sample plan, October 2026 (a sample month) has no plan: no plan lines.
    std::fs::remove_file(root.join("content/plan/sample.yaml")).unwrap();
    let out = build(&root);
    let october = std::fs::read_to_string(out.join("reports/2026-10/index.html")).unwrap();
    assert!(!october.contains("of plan"), "no plan, no plan lines: {october}");
}

/// A quarter whose months give neither revenue nor a revenue plan (small-team's Q2 2026: May
/// counts leads and customers only) has nothing to chart: the page says so in words instead of
/// showing a chart placeholder that blames "these numbers".
#[test]
fn a_quarter_without_revenue_or_plan_says_so_instead_of_an_empty_chart() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/small-team");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = run(&["build", "-q", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let q2 = std::fs::read_to_string(out.join("reports/2026-Q2/index.html")).unwrap();
    assert!(q2.contains("No month of Q2 2026 gives revenue or a revenue plan"), "{q2}");
    assert!(!q2.contains("cannot be drawn") && !q2.contains("quarter-months"), "{q2}");
    let q3 = std::fs::read_to_string(out.join("reports/2026-Q3/index.html")).unwrap();
    assert!(q3.contains("id=\"quarter-months-title\""), "Q3 has revenue and a plan: its chart is drawn");
}

/// The row of the funnel page's month table for `month` ("Apr 2025").
fn funnel_row(page: &str, month: &str) -> String {
    let table = &page[page.find("id=\"h-table\"").unwrap()..];
    let body = &table[table.find("<tbody>").unwrap()..];
    let at = body.find(&format!(">{month}<")).unwrap_or_else(|| panic!("no row for {month}"));
    let start = body[..at].rfind("<tr>").unwrap();
    body[start..at + body[at..].find("</tr>").unwrap()].to_string()
}

#[test]
fn the_funnel_page_shows_lost_and_pipeline_and_a_dash_where_a_month_lacks_them() {
    let (_t, root) = project_with(&[("content/funnel/q2.yaml", Q2_FUNNEL)]);
    let out = build(&root);
    let page = std::fs::read_to_string(out.join("funnel/index.html")).unwrap();
    for head in ["#win-rate\">Lost</a>", "#pipeline\">Pipeline created</a>", "#pipeline\">Pipeline open</a>"] {
        assert!(page.contains(head), "{head}");
    }
    // April and May 2025 give them as written; every figure keeps its label on a phone.
    let april = funnel_row(&page, "Apr 2025");
    assert!(april.contains("data-label=\"Lost\">28<"), "{april}");
    assert!(april.contains("data-label=\"Pipeline created\">USD\u{a0}400,000<"), "{april}");
    assert!(april.contains("data-label=\"Pipeline open\">USD\u{a0}900,000<"), "{april}");
    let may = funnel_row(&page, "May 2025");
    assert!(
        may.contains("data-label=\"Lost\">30<") && may.contains("USD\u{a0}450,000") && may.contains("USD\u{a0}800,000")
    );
    // June 2025 has no funnel entry and the init sample's months give neither: "—", never 0.
    for month in ["Jun 2025", "Oct 2026"] {
        let row = funnel_row(&page, month);
        for label in ["Lost", "Pipeline created", "Pipeline open"] {
            assert!(row.contains(&format!("data-label=\"{label}\">—<")), "{month} {label}: {row}");
        }
    }
    // A project that never gives them has no such columns.
    let (_u, plain) = project_with(&[]);
    let page = std::fs::read_to_string(build(&plain).join("funnel/index.html")).unwrap();
    assert!(
        !page.contains(">Lost</a>") && !page.contains("Pipeline created"),
        "columns for figures the project never gives"
    );
}

/// Channels of April and May 2025, in a file of their own (an ad platform's, merged by month).
const Q2_CHANNELS: &str = "\
- month: 2025-04
  by_channel:
    paid search: {leads: 400, won: 4, spend: 12000, revenue: 40000}
    events: {leads: 100, won: 1, spend: 9000}
- month: 2025-05
  by_channel:
    paid search: {leads: 600, won: 6, spend: 18000, revenue: 80000}
    events: {leads: 50, won: 2, spend: 6000, revenue: 30000}
";

#[test]
fn a_quarter_shows_each_channel_summed_with_rates_from_the_sums() {
    let (_t, root) = project_with(&[("content/funnel/q2.yaml", Q2_FUNNEL), ("content/funnel/ads.yaml", Q2_CHANNELS)]);
    let out = build(&root);
    // Q2 2025 (April and May have data). Paid search: leads 400 + 600 = 1,000, won 10, spend
    // 30,000, revenue 120,000: cost per lead 30,000 / 1,000 = 30 (April's 30 and May's 30
    // alike), cost per won 30,000 / 10 = 3,000, ROAS 120,000 / 30,000 = 4.0. Events: leads
    // 150, won 3, spend 15,000: cost per lead 100 (not the mean of April's 90 and May's 120,
    // 105), cost per won 5,000; April gives no revenue, so the quarter has none and no ROAS.
    let q2 = json(&out, "2025-Q2.json");
    let chans = q2["channels"].as_array().unwrap();
    let by = |name: &str| chans.iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("{name}: {q2}")).clone();
    let paid = by("paid search");
    assert_eq!((paid["stages"]["leads"].as_u64(), paid["stages"]["won"].as_u64()), (Some(1000), Some(10)));
    close(&paid["spend"], 30000.0);
    close(&paid["revenue"], 120000.0);
    close(&paid["cost_per_lead"], 30.0);
    close(&paid["cost_per_won"], 3000.0);
    close(&paid["roas"], 4.0);
    let events = by("events");
    close(&events["spend"], 15000.0);
    close(&events["cost_per_lead"], 100.0);
    close(&events["cost_per_won"], 5000.0);
    assert_eq!((events["revenue"].clone(), events["roas"].clone()), (Value::Null, Value::Null));
    // The page: the same figures, the costliest channel per won first and named so.
    let page = std::fs::read_to_string(out.join("reports/2025-Q2/index.html")).unwrap();
    let section = &page[page.find("<section id=\"channels\"").expect("a channels section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("Channels, Q2 2025"), "{section}");
    let (ev, pa) =
        (section.find("<th scope=\"row\">events").unwrap(), section.find("<th scope=\"row\">paid search").unwrap());
    assert!(ev < pa && section[ev..pa].contains("costliest per won"), "{section}");
    let cell = |label: &str, v: &str| format!("data-label=\"{label}\"><span class=\"v\">{v}</span>");
    let (ev_row, pa_row) = (&section[ev..pa], &section[pa..]);
    for (label, v) in [
        ("Spend", "USD\u{a0}15,000"),
        ("Cost per lead", "USD\u{a0}100"),
        ("Cost per won", "USD\u{a0}5,000"),
        ("Revenue", "—"),
        ("ROAS", "—"),
    ] {
        assert!(ev_row.contains(&cell(label, v)), "events {label}: {ev_row}");
    }
    for (label, v) in [
        ("Leads", "1,000"),
        ("Spend", "USD\u{a0}30,000"),
        ("Cost per lead", "USD\u{a0}30"),
        ("Cost per won", "USD\u{a0}3,000"),
        ("ROAS", "4.00×"),
    ] {
        assert!(pa_row.contains(&cell(label, v)), "paid search {label}: {pa_row}");
    }
    // A quarter whose months give no channels (the init sample's August and September) has
    // no such section, and an empty list.
    assert!(json(&out, "2026-Q3.json")["channels"].as_array().unwrap().is_empty());
    let q3 = std::fs::read_to_string(out.join("reports/2026-Q3/index.html")).unwrap();
    assert!(!q3.contains("id=\"channels\""));
}
