//! `smarketing digest`: the report's first screen in words, for chat and e-mail, checked
//! against figures worked by hand from the fixtures.

use crate::common::*;

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
**Small \\& \\<Co\\> report: October 2026**

**Headline figures**
- **Leads**: 1,200; +20.0% vs Sep 2026 (up, better)
- **MQL**: 300; +20.0% vs Sep 2026 (up, better)
- **Won**: 15; +50.0% vs Sep 2026 (up, better)
- **Revenue**: EUR 180,000; +80.0% vs Sep 2026 (up, better)
- **CAC**: EUR 4,000; −20.0% vs Sep 2026 (down, better)
- **Retention**: 98.5%; +0.5 pts vs Sep 2026 (up, better)

**What changed since Sep 2026**
- Goal *\\<script\\>alert('goal')\\</script\\> Raise MQL to SQL*: target met → at risk
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
    assert!(out.starts_with("**Small \\& \\<Co\\> report: Q4 2026** (in progress, as of 20 Nov 2026)\n"), "{out}");
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

/// The project's own text is literal text in the markdown digest: a task with `*`, `[…](…)`
/// and a tag, an owner starting with `#` and holding `_`, and a site title with `&` and `<`
/// read as written in a chat tool instead of turning into emphasis, a link, HTML or a heading.
/// The plain text digest keeps them as written.
#[test]
fn markdown_digest_escapes_the_projects_own_text() {
    let (_tmp, root) = project("actions");
    let sync = root.join("content/meetings/2026-10-05-sync.md");
    let text = std::fs::read_to_string(&sync).unwrap().replace(
        "{task: Draft the campaign brief, owner: Ann, due: 2026-10-31}",
        "{task: \"Draft the *Q1* [brief](x) <b>now</b>\", owner: \"#growth_team\", due: 2026-10-31}",
    );
    std::fs::write(&sync, text).unwrap();
    let site = root.join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap();
    let yaml = match yaml.lines().find(|l| l.starts_with("title:")) {
        Some(line) => yaml.replace(line, "title: \"Acme & <Co> | *ops*\""),
        None => format!("title: \"Acme & <Co> | *ops*\"\n{yaml}"),
    };
    std::fs::write(&site, yaml).unwrap();
    let (code, out, err) = digest(&root, &["--as-of", "2026-12-06"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("**Acme \\& \\<Co\\> \\| \\*ops\\*: November 2026**\n"), "{out}");
    assert!(
        out.contains("- **\\#growth\\_team**: Draft the \\*Q1\\* \\[brief\\](x) \\<b\\>now\\</b\\> (due 31 Oct 2026, 30 days overdue)\n"),
        "{out}"
    );
    let (code, text, _) = digest(&root, &["--format", "text", "--as-of", "2026-12-06"]);
    assert_eq!(code, 0);
    assert!(
        text.contains("* #growth_team: Draft the *Q1* [brief](x) <b>now</b> (due 31 Oct 2026, 30 days overdue)\n"),
        "{text}"
    );
}

/// `--format email` on the small fixture as of 20 Nov 2026 (October's report): a MIME message
/// that a mail library parses into a text part (the text digest), an HTML part without script
/// or remote resource, and one PNG part per headline figure (leads, MQL, won, revenue, CAC,
/// retention: six), each `cid:` of the HTML resolving to one of them. Headers from the flags
/// and the site title; the date is the as-of date; every line ends in CRLF within 78
/// characters; two runs give the same bytes and a different month a different Message-ID.
#[test]
fn the_email_digest_is_a_mime_message_with_its_charts() {
    let root = fixture("small");
    let args = [
        "--format",
        "email",
        "--from",
        "Reports <reports@example.test>",
        "--to",
        "cmo@example.test",
        "--to",
        "vp@example.test",
        "--as-of",
        "2026-11-20",
    ];
    let o = run(&[&["digest", "--root", root.to_str().unwrap()][..], &args[..]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let raw = o.stdout.clone();
    let again = run(&[&["digest", "--root", root.to_str().unwrap()][..], &args[..]].concat());
    assert_eq!(again.stdout, raw, "two runs must give the same bytes");
    let text = String::from_utf8(raw.clone()).expect("an e-mail is ASCII");
    assert!(text.is_ascii());
    for line in text.split_inclusive('\n') {
        assert!(line.ends_with("\r\n") && line.len() <= 80, "{line:?}");
    }
    let m = mail_parser::MessageParser::default().parse(&raw).expect("parses as MIME");
    assert_eq!(m.subject(), Some("Small & <Co> report: October 2026"));
    assert_eq!(m.from().and_then(|a| a.first()).and_then(|a| a.address()), Some("reports@example.test"));
    let to: Vec<&str> = m.to().unwrap().iter().filter_map(|a| a.address()).collect();
    assert_eq!(to, ["cmo@example.test", "vp@example.test"]);
    assert_eq!(m.date().map(|d| (d.year, d.month, d.day)), Some((2026, 11, 20)));
    use mail_parser::MimeHeaders;
    let root_type = m.root_part().content_type().unwrap();
    assert_eq!((root_type.ctype(), root_type.subtype()), ("multipart", Some("alternative")));
    let plain = m.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(plain.contains("* CAC: EUR\u{a0}4,000; −20.0% vs Sep 2026 (down, better)\n"), "{plain}");
    let html = m.body_html(0).unwrap();
    assert!(html.contains("EUR\u{a0}4,000") || html.contains("EUR&nbsp;4,000"), "{html}");
    assert!(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("<link"), "{html}");
    // The goal title with a tag is escaped HTML, not markup.
    assert!(html.contains("&lt;script&gt;alert("), "{html}");
    let pngs: Vec<(String, &[u8])> = m
        .parts
        .iter()
        .filter(|p| p.content_type().is_some_and(|c| c.ctype() == "image" && c.subtype() == Some("png")))
        .map(|p| (p.content_id().unwrap_or_default().to_string(), p.contents()))
        .collect();
    assert_eq!(pngs.len(), 6, "{html}");
    let cids: Vec<&str> = html.split("src=\"cid:").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    assert_eq!(cids.len(), 6, "{html}");
    for cid in &cids {
        let (_, bytes) = pngs.iter().find(|(id, _)| id == cid).unwrap_or_else(|| panic!("cid:{cid} has no part"));
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "cid:{cid} is not a PNG");
    }
    // Each chart's numbers are in its alt text: leads of September and October.
    assert!(html.contains("alt=\"Leads by month: Sep 2026 1,000; Oct 2026 1,200\""), "{html}");
    // Another month is another message.
    let sep =
        run(&["digest", "2026-09", "--root", root.to_str().unwrap(), "--format", "email", "--as-of", "2026-11-20"]);
    let sep = mail_parser::MessageParser::default().parse(&sep.stdout).unwrap().message_id().map(str::to_string);
    assert!(sep.is_some() && sep.as_deref() != m.message_id());
}

/// A site title that is not ASCII goes into the subject as encoded words and reads back as
/// written; a `--to` with a line break (which would add a header) is refused.
#[test]
fn an_email_subject_is_encoded_and_a_header_cannot_be_injected() {
    let (_tmp, root) = project("small");
    let site = root.join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site)
        .unwrap()
        .replace("title: Small & <Co> report", "title: Société Générale — rapport");
    std::fs::write(&site, yaml).unwrap();
    let (code, out, err) = digest(&root, &["--format", "email", "--as-of", "2026-11-20"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\r\nSubject: =?UTF-8?B?"), "{out}");
    let m = mail_parser::MessageParser::default().parse(out.as_bytes()).unwrap();
    assert_eq!(m.subject(), Some("Société Générale — rapport: October 2026"));
    assert_eq!(m.to().and_then(|a| a.first()).and_then(|a| a.address()), None);
    let (code, out, err) = digest(
        &root,
        &["--format", "email", "--to", "a@example.test\r\nBcc: all@example.test", "--as-of", "2026-11-20"],
    );
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("--to `a@example.test") && err.contains("is not a mailbox: it holds a line break"), "{err}");
}
