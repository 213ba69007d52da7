//! Integration tests of a project fed by several sources (docs/content.md, "One month from
//! several files"): months merge across funnel files field by field, channels resolve through
//! site.yaml's `channels:`, and a field given twice is an error naming both places.
//!
//! `sources-split` holds its numbers in three funnel files (the CRM's stages, the ad
//! platforms' spend by channel under their own names, finance's sales cost and customers);
//! `sources-one` holds the same numbers in one file. Every other file of the two is the same.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

fn build(root: &Path, out: &Path) -> std::process::Output {
    run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()])
}

fn json(out: &Path, month: &str) -> Value {
    serde_json::from_slice(&std::fs::read(out.join(format!("data/{month}.json"))).unwrap()).unwrap()
}

fn close(v: &Value, expected: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("expected a number, found {v}"));
    assert!((x - expected).abs() < 1e-9, "{x} != {expected}");
}

/// Diagnostics of `check --format json`, with the exit code.
fn check(root: &Path) -> (Option<i32>, Vec<Value>) {
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    (o.status.code(), v.as_array().unwrap().clone())
}

fn messages(all: &[Value]) -> Vec<String> {
    all.iter().map(|d| format!("{}:{}:{}: {}", d["file"], d["line"], d["column"], d["message"])).collect()
}

#[test]
fn numbers_split_across_three_files_build_the_site_of_one_file() {
    // The two fixtures differ only in their funnel files.
    let split = snapshot(&fixture("sources-split/content"));
    let one = snapshot(&fixture("sources-one/content"));
    let others = |s: &std::collections::BTreeMap<String, Vec<u8>>| {
        s.iter().filter(|(k, _)| !k.starts_with("funnel")).map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>()
    };
    assert_eq!(others(&split), others(&one));
    assert_eq!(split.keys().filter(|k| k.starts_with("funnel")).count(), 3);

    let tmp = tempfile::tempdir().unwrap();
    let (out_split, out_one) = (tmp.path().join("split"), tmp.path().join("one"));
    for (name, out) in [("sources-split", &out_split), ("sources-one", &out_one)] {
        let o = build(&fixture(name), out);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        assert!(!stderr(&o).contains("warning"), "{name}: {}", stderr(&o));
    }
    let (a, b) = (snapshot(&out_split), snapshot(&out_one));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(a.contains_key("data/2026-10.json") && a.contains_key("reports/2026-10/index.html"));
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between the split and the one-file project");
    }

    // And the merged month's figures, by hand (2026-10): stages and revenue from the CRM,
    // marketing spend from the ads file, sales spend and customers from finance.
    let j = json(&out_split, "2026-10");
    assert_eq!(j["stages"]["leads"], 1000);
    assert_eq!(j["stages"]["won"], 12);
    close(&j["cost_per_lead"], 36.0); // 36,000 / 1,000 leads
    close(&j["cac"], 7500.0); // (36,000 + 54,000) / 12 new customers
    close(&j["retention"], 204.0 / 208.0); // (208 − 4) / 208
    close(&j["average_deal"], 12500.0); // 150,000 / 12
                                        // The win rate on closed deals: 12 won / (12 won + 30 lost), `lost` from the CRM file.
    close(&j["win_rate"], 12.0 / 42.0);
    close(&j["sales_velocity"], 50.0 * (12.0 / 42.0) * 12500.0 / 40.0); // 4,464.29 per day
    close(&j["spend"]["marketing"], 36000.0);
    close(&j["spend"]["sales"], 54000.0);
    // "Google Ads" and " trade show " are the channels site.yaml names: one row each,
    // named channels first in site.yaml's order, then the others by name.
    let names: Vec<&str> = j["channels"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["paid search", "events", "organic search"]);
    assert_eq!(j["channels"][0]["stages"]["leads"], 500);
    close(&j["channels"][0]["spend"], 20000.0);
}

#[test]
fn each_channel_has_cost_per_lead_cost_per_won_and_roas() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build(&fixture("sources-split"), &out).status.success());
    let j = json(&out, "2026-10");
    let ch = |name: &str| j["channels"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap().clone();
    // Paid search: 20,000 spent (ads file, as "google ads"), 500 leads, 5 won, 70,000 revenue.
    let paid = ch("paid search");
    close(&paid["revenue"], 70000.0);
    close(&paid["cost_per_lead"], 40.0); // 20,000 / 500
    close(&paid["cost_per_won"], 4000.0); // 20,000 / 5
    close(&paid["roas"], 3.5); // 70,000 / 20,000
                               // Events: 16,000 spent, 100 leads, nothing won and no revenue: no cost per won, no ROAS.
    let events = ch("events");
    close(&events["cost_per_lead"], 160.0);
    assert_eq!(
        (&events["cost_per_won"], &events["roas"], &events["revenue"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    // Organic search: leads and revenue but no spend: none of the three (never 0).
    let organic = ch("organic search");
    close(&organic["revenue"], 80000.0);
    assert_eq!(organic["spend"], Value::Null);
    for key in ["cost_per_lead", "cost_per_won", "roas"] {
        assert_eq!(organic[key], Value::Null, "{key}");
    }
    // September: paid search 18,000 / 300 leads / 4 won / 52,000; events 12,000 / 100 / 1 / 8,000.
    let j = json(&out, "2026-09");
    let paid = &j["channels"][0];
    close(&paid["cost_per_lead"], 60.0);
    close(&paid["cost_per_won"], 4500.0);
    close(&paid["roas"], 52000.0 / 18000.0);
    let events = &j["channels"][1];
    assert_eq!(events["name"], "events");
    close(&events["cost_per_won"], 12000.0);
    close(&events["roas"], 8000.0 / 12000.0);
}

#[test]
fn a_month_with_spend_only_has_no_stage_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build(&fixture("sources-split"), &out).status.success());
    // November comes from the ads file alone: spend, and no stage count (null, never 0).
    let j = json(&out, "2026-11");
    assert_eq!(j["stages"]["leads"], Value::Null);
    assert_eq!(j["stages"]["won"], Value::Null);
    assert_eq!(j["conversion"]["overall"], Value::Null);
    assert_eq!(j["cost_per_lead"], Value::Null);
    assert_eq!(j["cac"], Value::Null);
    close(&j["spend"]["marketing"], 40000.0);
    let page = std::fs::read_to_string(out.join("reports/2026-11/index.html")).unwrap();
    let funnel = &page[page.find(r#"id="h-funnel""#).unwrap()..];
    let leads_row = &funnel[funnel.find("Leads</th>").unwrap()..];
    let leads_row = &leads_row[..leads_row.find("</tr>").unwrap()];
    assert!(leads_row.contains("—") && !leads_row.contains(">0<"), "{leads_row}");
}

#[test]
fn a_field_given_by_two_files_is_an_error_naming_both_places() {
    let (_t, root) = project("sources-split");
    let ads = root.join("content/funnel/ads.yaml");
    let text = std::fs::read_to_string(&ads).unwrap();
    // The ads file also says October's revenue, and October's paid search leads under an alias.
    let text = text.replace(
        "  spend: {marketing: 36000}\n",
        "  spend: {marketing: 36000}\n  revenue: 1\n  by_channel:\n    Google / CPC: {leads: 3}\n",
    );
    let text = text.replacen("  by_channel:\n    google ads", "    google ads", 1);
    std::fs::write(&ads, &text).unwrap();
    let (code, all) = check(&root);
    assert_eq!(code, Some(1), "{:#?}", messages(&all));
    let errors: Vec<&Value> = all.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 2, "{:#?}", messages(&all));
    // Files merge in path order (ads.yaml before crm.yaml), so crm.yaml's is the second place:
    // the diagnostic points there, and its message names both.
    let place = |d: &Value| {
        (d["file"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
    };
    assert_eq!(place(errors[0]), ("content/funnel/crm.yaml".into(), 13, 12));
    assert_eq!(
        errors[0]["message"],
        "month 2026-10 gives `revenue` twice: in content/funnel/ads.yaml:9:12 and in content/funnel/crm.yaml:13:12"
    );
    assert_eq!(place(errors[1]), ("content/funnel/crm.yaml".into(), 21, 19));
    assert_eq!(
        errors[1]["message"],
        "month 2026-10 gives `by_channel.paid search.leads` twice: in content/funnel/ads.yaml:11:20 and in content/funnel/crm.yaml:21:19"
    );
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert!(
        stderr(&o).contains(" --> content/funnel/crm.yaml:13:12\n   |\n13 |   revenue: 150000\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_month_twice_in_one_file_stays_an_error() {
    let (_t, root) = project("sources-split");
    let finance = root.join("content/funnel/finance.yaml");
    let mut text = std::fs::read_to_string(&finance).unwrap();
    text.push_str("- month: 2026-09\n  lead_response_hours: 3\n");
    std::fs::write(&finance, &text).unwrap();
    let (code, all) = check(&root);
    assert_eq!(code, Some(1));
    assert_eq!(
        messages(&all),
        ["\"content/funnel/finance.yaml\":8:10: \"month 2026-09 appears twice in this file: also at line 2\""]
    );
}

#[test]
fn a_channel_name_under_two_display_names_is_an_error_in_site_yaml() {
    let (_t, root) = project("sources-split");
    let site = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap() + "  search: [Paid Search, Bing Ads]\n  ads: [bing ads ]\n";
    std::fs::write(&site, text).unwrap();
    let (code, all) = check(&root);
    assert_eq!(code, Some(1));
    assert_eq!(
        messages(&all),
        [
            "\"content/site.yaml\":9:12: \"`Paid Search` stands for two channels: `paid search` (line 7) and `search`\"",
            "\"content/site.yaml\":10:9: \"`bing ads` stands for two channels: `search` (line 9) and `ads`\""
        ]
    );
}

#[test]
fn an_unknown_key_of_a_channel_names_what_a_channel_takes() {
    let (_t, root) = project("sources-split");
    let crm = root.join("content/funnel/crm.yaml");
    let text = std::fs::read_to_string(&crm).unwrap().replacen("revenue: 52000", "revenu: 52000", 1);
    std::fs::write(&crm, text).unwrap();
    let (code, all) = check(&root);
    assert_eq!(code, Some(1));
    assert_eq!(all.len(), 1, "{:#?}", messages(&all));
    assert_eq!(all[0]["message"], "unknown stage `revenu`");
    assert_eq!((all[0]["line"].as_u64(), all[0]["column"].as_u64()), (Some(8), Some(48)));
    assert!(all[0]["hint"].as_str().unwrap().starts_with("did you mean `revenue`?"), "{}", all[0]);
}

#[test]
fn a_month_that_gives_no_number_is_a_warning() {
    let (_t, root) = project("sources-split");
    let finance = root.join("content/funnel/finance.yaml");
    let text = std::fs::read_to_string(&finance).unwrap() + "- month: 2026-08\n";
    std::fs::write(&finance, text).unwrap();
    let (code, all) = check(&root);
    assert_eq!(code, Some(0));
    assert_eq!(
        messages(&all),
        ["\"content/funnel/finance.yaml\":8:10: \"month 2026-08 gives no numbers, so it is left out\""]
    );
}

/// The rows of the channels table in `html` (from the section with id `channels`): each row's
/// channel name and its cells as "label value".
fn channel_rows(html: &str) -> Vec<(String, Vec<String>)> {
    let start = html.find("id=\"channels\"").expect("a channels section");
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    let body = &section[section.find("<tbody>").unwrap()..];
    let strip = |s: &str| {
        let mut out = String::new();
        let mut inside = false;
        for ch in s.chars() {
            match ch {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out.replace('\u{a0}', " ").trim().to_string()
    };
    body.split("<tr")
        .skip(1)
        .map(|row| {
            let name = strip(&row[row.find("<th").unwrap()..row.find("</th>").unwrap()]);
            let cells = row
                .split("data-label=\"")
                .skip(1)
                .map(|c| {
                    let label = &c[..c.find('"').unwrap()];
                    format!("{label} {}", strip(&c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()]))
                })
                .collect();
            (name, cells)
        })
        .collect()
}

#[test]
fn the_channels_table_puts_the_costliest_channel_per_won_first() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build(&fixture("sources-split"), &out).status.success());
    // September: events cost 12,000 per won deal (12,000 / 1), paid search 4,500 (18,000 / 4);
    // organic search has no spend, so no cost per won: last, with "—" and never 0.
    let html = std::fs::read_to_string(out.join("reports/2026-09/index.html")).unwrap();
    let rows = channel_rows(&html);
    assert_eq!(
        rows,
        [
            (
                "events ▲ costliest per won".to_string(),
                [
                    "Leads 100",
                    "MQL 30",
                    "Won 1",
                    "Spend EUR 12,000",
                    "Revenue EUR 8,000",
                    "Cost per lead EUR 120",
                    "Cost per won EUR 12,000",
                    "ROAS 0.67×"
                ]
                .map(String::from)
                .to_vec()
            ),
            (
                "paid search".to_string(),
                [
                    "Leads 300",
                    "MQL 90",
                    "Won 4",
                    "Spend EUR 18,000",
                    "Revenue EUR 52,000",
                    "Cost per lead EUR 60",
                    "Cost per won EUR 4,500",
                    "ROAS 2.89×"
                ]
                .map(String::from)
                .to_vec()
            ),
            (
                "organic search".to_string(),
                [
                    "Leads 400",
                    "MQL 120",
                    "Won 5",
                    "Spend —",
                    "Revenue EUR 60,000",
                    "Cost per lead —",
                    "Cost per won —",
                    "ROAS —"
                ]
                .map(String::from)
                .to_vec()
            ),
        ]
    );
    assert!(html.contains("<tr class=\"costliest\">"), "the costliest row is marked");
    // October: events spent 16,000 and won nothing: no cost per won (not infinity), so it sorts
    // after paid search, and with one channel left that has a cost per won nobody is "costliest".
    let html = std::fs::read_to_string(out.join("reports/2026-10/index.html")).unwrap();
    let rows = channel_rows(&html);
    let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["paid search", "events", "organic search"]);
    assert!(rows[1].1.contains(&"Won 0".to_string()) && rows[1].1.contains(&"Cost per won —".to_string()), "{rows:?}");
    assert!(!html.contains(">inf") && !html.contains("NaN"));
    // The funnel page shows the latest report's month (November: spend only, no counts).
    let funnel = std::fs::read_to_string(out.join("funnel/index.html")).unwrap();
    assert!(funnel.contains("<h2 id=\"h-channels\">Channels, Nov 2026</h2>"), "{funnel}");
    assert_eq!(
        channel_rows(&funnel),
        [(
            "paid search".to_string(),
            ["Spend EUR 25,000", "Revenue —", "Cost per lead —", "Cost per won —", "ROAS —"].map(String::from).to_vec()
        )]
    );
}

#[test]
fn init_sample_funnel_left_beside_real_numbers_is_a_warning_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    assert!(run(&["init", root.to_str().unwrap(), "--quiet"]).status.success());
    let sample = root.join("content/funnel/sample.yaml");
    let text = std::fs::read_to_string(&sample).unwrap();
    assert!(text.lines().next().unwrap().starts_with("# SAMPLE DATA written by `smarketing init`: replace"), "{text}");
    let r = root.to_str().unwrap();
    // On its own the sample is the project's funnel: no warning.
    assert_eq!(run(&["check", "--strict", "--root", r]).status.code(), Some(0));
    // Beside a file of real numbers (a month the sample does not have), every check and build
    // warns naming it, so check --strict fails.
    std::fs::write(root.join("content/funnel/crm.yaml"), "- month: 2025-01\n  stages: {leads: 10, won: 1}\n").unwrap();
    let warning = "warning: content/funnel/sample.yaml still holds the sample numbers `smarketing init` wrote, beside 1 other funnel file: its made-up months are merged into your reports";
    let o = run(&["check", "--root", r]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains(warning), "{}", stderr(&o));
    assert!(stderr(&o).contains("help: delete content/funnel/sample.yaml"), "{}", stderr(&o));
    assert_eq!(run(&["check", "--strict", "--root", r]).status.code(), Some(1));
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", r, "--output", out.to_str().unwrap()]);
    assert!(o.status.success() && stderr(&o).contains(warning), "{}", stderr(&o));
    // Its first line removed, it still holds the sample's numbers: still a warning.
    std::fs::write(&sample, text.split_once('\n').unwrap().1).unwrap();
    assert!(stderr(&run(&["check", "--root", r])).contains(warning));
    // Once its numbers are the team's own (one count changed), the file is theirs: no warning
    // about it. The sample plan beside the real numbers still warns, naming its own file.
    std::fs::write(&sample, text.replacen("leads: 1500", "leads: 1501", 1)).unwrap();
    let plan_warning = "warning: content/plan/sample.yaml still holds the sample plan `smarketing init` wrote, beside 2 funnel files of your own: your months are measured against its made-up targets";
    let o = run(&["check", "--root", r]);
    assert!(!stderr(&o).contains(warning), "{}", stderr(&o));
    assert!(stderr(&o).contains(plan_warning), "{}", stderr(&o));
    assert!(stderr(&o).contains("help: delete content/plan/sample.yaml"), "{}", stderr(&o));
    // Its targets made the team's own (one changed), nothing warns.
    let plan = root.join("content/plan/sample.yaml");
    let plan_text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, plan_text.replacen("revenue: 250000", "revenue: 260000", 1)).unwrap();
    let o = run(&["check", "--strict", "--root", r]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn init_sample_plan_warns_only_beside_real_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    assert!(run(&["init", root.to_str().unwrap(), "--quiet"]).status.success());
    let r = root.to_str().unwrap();
    // With the sample funnel alone, the sample plan is the sample's plan: no warning.
    let o = run(&["check", "--strict", "--root", r]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The sample funnel replaced by the team's own file, the sample plan left: it warns, and
    // the funnel warning does not misfire (no sample funnel is left).
    std::fs::remove_file(root.join("content/funnel/sample.yaml")).unwrap();
    std::fs::write(root.join("content/funnel/crm.yaml"), "- month: 2026-10\n  stages: {leads: 900, won: 7}\n").unwrap();
    let o = run(&["check", "--root", r]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(err.contains("warning: content/plan/sample.yaml still holds the sample plan `smarketing init` wrote, beside 1 funnel file of your own"), "{err}");
    assert!(!err.contains("content/funnel/sample.yaml"), "{err}");
    assert_eq!(run(&["check", "--strict", "--root", r]).status.code(), Some(1));
    // A plan of the team's own in another file does not warn either.
    std::fs::remove_file(root.join("content/plan/sample.yaml")).unwrap();
    std::fs::write(
        root.join("content/plan/2026.yaml"),
        "- month: 2026-10\n  stages: {leads: 1600, won: 20}\n  revenue: 250000\n",
    )
    .unwrap();
    let o = run(&["check", "--strict", "--root", r]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn two_channel_names_that_differ_only_in_case_are_a_warning() {
    let (_t, root) = project("sources-split");
    let finance = root.join("content/funnel/finance.yaml");
    let text = std::fs::read_to_string(&finance).unwrap() + "  by_channel:\n    Organic Search: {spend: 100}\n";
    std::fs::write(&finance, text).unwrap();
    let (code, all) = check(&root);
    assert_eq!(code, Some(0));
    assert_eq!(
        messages(&all),
        ["\"content/funnel/finance.yaml\":9:22: \"channels `Organic Search` and `organic search` differ only in case or spaces, so they are two channels (the other is at content/funnel/crm.yaml:22:22)\""]
    );
    assert!(all[0]["hint"].as_str().unwrap().contains("`channels: {Organic Search: [organic search]}`"), "{}", all[0]);
}

#[test]
fn one_channel_under_two_of_its_names_in_one_month_merges_and_a_repeated_key_is_an_error() {
    let (_t, root) = project("sources-split");
    let crm = root.join("content/funnel/crm.yaml");
    let text = std::fs::read_to_string(&crm).unwrap().replacen(
        "    events: {leads: 100, mql: 20, won: 0}\n",
        "    events: {leads: 100, mql: 20, won: 0}\n    Google Ads: {sql: 60, leads: 1}\n",
        1,
    );
    std::fs::write(&crm, text).unwrap();
    let (code, all) = check(&root);
    assert_eq!(code, Some(1));
    assert_eq!(
        messages(&all),
        ["\"content/funnel/crm.yaml\":24:27: \"`by_channel.paid search.leads` is given twice in this month: `Google Ads` is the channel `paid search`, named twice in `by_channel`\""]
    );
}
