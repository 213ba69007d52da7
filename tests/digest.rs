//! `smarketing digest`: the report's first screen in words, for chat and e-mail, checked
//! against figures worked by hand from the fixtures.

mod common;
use common::*;

fn digest(root: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["digest", "--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = run(&all);
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stdout).into_owned(), stderr(&o))
}

/// The small fixture as of 20 Nov 2026: the latest report is October (November has no funnel
/// data). Leads 1,200 against 1,000 (+20.0%), MQL 300 / 250 (+20.0%), won 15 / 10 (+50.0%),
/// revenue 180,000 / 100,000 (+80.0%), CAC (24,000 + 36,000) / 15 = 4,000 against 50,000 / 10 =
/// 5,000 (−20.0%, lower is better), retention (206 − 3) / 206 = 98.5% against 196 / 200 = 98.0%
/// (+0.5 pts); the three goals' statuses as the report's "What changed" lists them; three new
/// items from the 5 Oct meeting, none overdue; base_url from site.yaml.
#[test]
fn the_latest_report_in_markdown_worked_by_hand() {
    let root = fixture("small");
    let (code, out, err) = digest(&root, &["--as-of", "2026-11-20"]);
    assert_eq!(code, 0, "{err}");
    let want = "\
**Small & <Co> report: October 2026**

**Headline figures**
- **Leads**: 1,200; +20.0% vs Sep 2026 (up, better)
- **MQL**: 300; +20.0% vs Sep 2026 (up, better)
- **Won**: 15; +50.0% vs Sep 2026 (up, better)
- **Revenue**: EUR 180,000; +80.0% vs Sep 2026 (up, better)
- **CAC**: EUR 4,000; −20.0% vs Sep 2026 (down, better)
- **Retention**: 98.5%; +0.5 pts vs Sep 2026 (up, better)

**What changed since Sep 2026**
- Goal *<script>alert('goal')</script> Raise MQL to SQL*: target met → at risk
- Goal *Lower CAC*: at risk → on track
- Goal *Webinar leads*: at risk
- Action items: 3 new, 0 done, 0 newly overdue

[The full report](https://example.test/r/reports/2026-10/index.html)
";
    assert_eq!(out.replace('\u{a0}', " "), want);
    // The same month named explicitly gives the same text; twice gives the same bytes.
    let (_, named, _) = digest(&root, &["2026-10", "--as-of", "2026-11-20"]);
    assert_eq!(named, out);
    // Plain text: the same figures, no markdown marks.
    let (code, text, _) = digest(&root, &["--format", "text", "--as-of", "2026-11-20"]);
    assert_eq!(code, 0);
    assert!(text.starts_with("Small & <Co> report: October 2026\n"), "{text}");
    assert!(text.contains("* CAC: EUR\u{a0}4,000; −20.0% vs Sep 2026 (down, better)\n"), "{text}");
    assert!(text.contains("The full report: https://example.test/r/reports/2026-10/index.html\n"), "{text}");
    assert!(!text.contains("**"), "{text}");
}

/// The actions fixture at 6 Dec 2026: November's report. Items overdue at 30 Nov that were not
/// at 31 Oct, by owner: Ann's brief due 31 Oct (30 days) and the item due 26 Nov (4 days); Bob's
/// CRM fix due 20 Nov (10 days). No base_url: the link is relative to the site root.
#[test]
fn newly_overdue_items_by_owner_and_a_relative_link() {
    let root = fixture("actions");
    let (code, out, err) = digest(&root, &["--as-of", "2026-12-06"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("- Action items: 3 new, 2 done, 3 newly overdue\n"), "{out}");
    assert!(out.contains("\n**Newly overdue, by owner**\n- **Ann**: Draft the campaign brief (due 31 Oct 2026, 30 days overdue); Not yet agreed (due 26 Nov 2026, 4 days overdue)\n- **Bob**: Fix the CRM sync; then export, twice (due 20 Nov 2026, 10 days overdue)\n"), "{out}");
    assert!(out.ends_with("[The full report](reports/2026-11/index.html)\n"), "{out}");
    // The count is the report's own figure (data/2026-11.json's changes).
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        tmp.path().to_str().unwrap(),
        "--as-of",
        "2026-12-06",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("data/2026-11.json")).unwrap()).unwrap();
    assert_eq!(data["changes"]["actions"]["newly_overdue"], 3, "{}", data["changes"]);
}

/// A quarter in progress: Q4 2026 as of 20 Nov has October's funnel only; its figures are the
/// quarter page's (against Q3 2026, which has September only), its goals compared with the end
/// of Q3, its new items those of October (3) and November (1).
#[test]
fn a_quarter_digest() {
    let root = fixture("small");
    let (code, out, err) = digest(&root, &["2026-Q4", "--as-of", "2026-11-20"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("**Small & <Co> report: Q4 2026** (in progress, as of 20 Nov 2026)\n"), "{out}");
    assert!(out.contains("- **Leads**: 1,200; +20.0% vs Q3 2026 so far\n"), "{out}");
    assert!(out.contains("- **CAC**: EUR\u{a0}4,000; −20.0% vs Q3 2026 (down, better)\n"), "{out}");
    assert!(out.contains("**What changed since Q3 2026**\n"), "{out}");
    assert!(out.contains("- Action items: 4 new, 0 done, 0 newly overdue\n"), "{out}");
    assert!(out.ends_with("[The full report](https://example.test/r/reports/2026-Q4/index.html)\n"), "{out}");
}

#[test]
fn a_period_without_a_report_or_not_a_period_is_refused() {
    let root = fixture("small");
    let (code, out, err) = digest(&root, &["2025-01", "--as-of", "2026-11-20"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains("no report for 2025-01") && err.contains("reports exist for 2026-09, 2026-10, 2026-11"),
        "{err}"
    );
    let (code, _, err) = digest(&root, &["2026-13", "--as-of", "2026-11-20"]);
    assert_eq!(code, 2);
    assert!(err.contains("expected a month as YYYY-MM or a quarter as YYYY-Qn"), "{err}");
}

/// The digest comes from the theme's templates, so a project can reword it; `theme export`
/// writes both.
#[test]
fn a_project_template_overrides_the_digest() {
    let (_tmp, root) = project("small");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/digest.md"),
        "{{ period }}: {% for f in figures %}{{ f.label }} {{ f.value }}; {% endfor %}\n",
    )
    .unwrap();
    let (code, out, err) = digest(&root, &["--as-of", "2026-11-20"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.replace('\u{a0}', " "),
        "October 2026: Leads 1,200; MQL 300; Won 15; Revenue EUR 180,000; CAC EUR 4,000; Retention 98.5%;\n"
    );
    let theme = root.join("exported");
    assert!(run(&["theme", "export", theme.to_str().unwrap()]).status.success());
    assert!(theme.join("templates/digest.md").is_file() && theme.join("templates/digest.txt").is_file());
}
