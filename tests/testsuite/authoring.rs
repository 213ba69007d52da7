//! Integration tests of the authoring commands: init, new meeting, schema, theme export,
//! completions.

use crate::common::*;
use serde_json::Value;

#[test]
fn init_writes_a_project_that_builds_at_once_and_refuses_a_non_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let o = run(&["init", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "content/site.yaml",
        "content/funnel/sample.yaml",
        "content/goals/goals.yaml",
        "content/checklist.yaml",
        "schemas/site.schema.json",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let site = std::fs::read_to_string(dir.join("content/site.yaml")).unwrap();
    assert!(site.starts_with("# yaml-language-server: $schema=../schemas/site.schema.json"));
    let meetings: Vec<_> =
        std::fs::read_dir(dir.join("content/meetings")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(meetings.len(), 3);
    // One is the monthly review of an earlier month, held in the next one: it says which.
    let review = meetings.iter().find(|p| p.to_string_lossy().ends_with("-monthly-review.md")).unwrap();
    assert!(std::fs::read_to_string(review).unwrap().contains("\nreviews: "), "{}", review.display());
    let o = run(&["check", "--strict", "--root", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", dir.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("index.html").is_file());
    // As of 30 Nov 2026 the sample funnel is Aug, Sep and Oct 2026, and the sample plan runs
    // from August to the end of October's quarter: 1,600 leads, 20 won, 250,000 revenue a
    // month. So the first build has "vs plan" and quarter to date: September's revenue is
    // 256,000 / 250,000 = 102.4% of plan, and Q3 to date (216,000 + 256,000) / 500,000 = 94.4%;
    // October's 290,000 is 116.0% of plan, month and quarter to date alike.
    let plan = std::fs::read_to_string(dir.join("content/plan/sample.yaml")).unwrap();
    assert!(plan.starts_with("# SAMPLE PLAN written by `smarketing init`: replace"), "{plan}");
    let months: Vec<&str> = plan.lines().filter_map(|l| l.strip_prefix("- month: ")).collect();
    assert_eq!(months, ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]);
    let data = |m: &str| -> Value {
        serde_json::from_slice(&std::fs::read(out.join(format!("data/{m}.json"))).unwrap()).unwrap()
    };
    let close = |v: &Value, want: f64| (v.as_f64().unwrap() - want).abs() < 1e-9;
    let sep = data("2026-09");
    assert!(close(&sep["attainment"]["revenue"], 1.024) && close(&sep["qtd"]["revenue"], 0.944), "{sep}");
    assert!(close(&sep["qtd"]["stages"]["leads"], (1500.0 + 1620.0) / 3200.0), "{sep}");
    assert!(close(&data("2026-10")["attainment"]["revenue"], 1.16));
    let oct = std::fs::read_to_string(out.join("reports/2026-10/index.html")).unwrap();
    assert!(oct.contains("116.0%</span> <span class=\"card-vs\">of plan, month and <abbr"), "{oct}");
    let sep_page = std::fs::read_to_string(out.join("reports/2026-09/index.html")).unwrap();
    assert!(sep_page.contains("94.4%</span> <span class=\"card-vs\">of plan, <abbr"), "{sep_page}");
    let before = snapshot(&dir);
    let o = run(&["init", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not empty"));
    assert_eq!(snapshot(&dir), before, "nothing touched");
    // The project has no README: site.yaml points to a command instead of one.
    assert!(!site.contains("README"), "{site}");
    assert!(site.contains("`smarketing schema --kind site`"), "{site}");
    // `schema --out schemas` refuses to overwrite what init wrote, with a hint; `--force`
    // replaces the schema files (and only them) with the same text.
    let schemas = dir.join("schemas");
    let target = schemas.join("import-map.schema.json");
    assert!(target.is_file(), "init writes the import map's schema");
    std::fs::write(schemas.join("notes.txt"), "mine").unwrap();
    std::fs::write(&target, "stale").unwrap();
    let o = run(&["schema", "--out", schemas.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("pass --force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "stale");
    let o = run(&["schema", "--out", schemas.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fresh = run(&["schema", "--kind", "import-map"]);
    assert_eq!(std::fs::read(&target).unwrap(), fresh.stdout);
    assert_eq!(std::fs::read_to_string(schemas.join("notes.txt")).unwrap(), "mine");
    // `--kind`'s help lists every kind init writes.
    let help = String::from_utf8_lossy(&run(&["schema", "--help"]).stdout).to_string();
    assert!(help.contains("import-map"), "{help}");
}

/// An empty or blank meeting title: `new meeting` refuses at once, and `check` points at the
/// title of a note written by hand.
#[test]
fn a_blank_meeting_title_is_an_error() {
    let (_tmp, root) = project("small");
    let r = root.to_str().unwrap();
    for blank in ["", "   "] {
        let o = run(&["new", "meeting", blank, "--date", "2026-10-20", "--root", r]);
        assert_eq!(o.status.code(), Some(2), "{blank:?}");
        assert!(stderr(&o).contains("title is empty"), "{}", stderr(&o));
    }
    assert!(!root.join("content/meetings/2026-10-20-meeting.md").exists());
    std::fs::write(
        root.join("content/meetings/2026-10-21-blank.md"),
        "---\ndate: 2026-10-21\ntitle: '  '\nattendees: [Ann]\n---\nText\n",
    )
    .unwrap();
    let o = run(&["check", "--root", r]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("this meeting's title is empty"), "{}", stderr(&o));
    assert!(stderr(&o).contains("2026-10-21-blank.md:3:8"), "{}", stderr(&o));
}

#[test]
fn new_meeting_fills_front_matter_and_never_overwrites() {
    let (tmp, root) = project("small");
    let r = root.to_str().unwrap();
    let o = run(&["new", "meeting", "Q4 kickoff: \"plans\"", "--date", "2026-10-20", "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = root.join("content/meetings/2026-10-20-q4-kickoff-plans.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("title: 'Q4 kickoff: \"plans\"'"), "{text}");
    // The page puts the notes under its own "Notes" heading: the template adds none.
    assert!(!text.contains("## Notes"), "{text}");
    // Nobody attended unless named (FORMAT 10): a note nobody edited is not a joint meeting.
    assert!(text.contains("attendees: []"), "{text}");
    // The new file is valid content right away, with a warning until someone names who came.
    let o = run(&["check", "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("this meeting lists no attendees, so it cannot count as a joint meeting"));
    assert!(stderr(&o).contains("2026-10-20-q4-kickoff-plans.md:4:12"), "{}", stderr(&o));
    // Its commented example action can be uncommented as it is: one `actions:` key.
    assert_eq!(text.matches("actions:").count(), 1, "{text}");
    let filled = text
        .replace("attendees: []", "attendees: [Ann, Bob]")
        .replace("# actions:\n#   - ", "actions:\n  - ")
        .replace("owner: Who", "owner: Ann");
    std::fs::write(&path, filled).unwrap();
    let o = run(&["check", "--strict", "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(&path, "edited").unwrap();
    let o = run(&["new", "meeting", "Q4 kickoff: \"plans\"", "--date", "2026-10-20", "--root", r]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited");
    assert_eq!(run(&["new", "meeting", "X", "--date", "2026-02-30", "--root", r]).status.code(), Some(2));
    let o = run(&["new", "meeting", "X", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "outside a project");
    // Without --date, today's date names the file.
    let o = run(&["new", "meeting", "Today", "--root", r]);
    assert!(o.status.success());
    let made = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert!(made.ends_with("-today.md"), "{made}");
}

/// Before, `new meeting` wrote through a symlinked `content/meetings/` (into a folder outside
/// the project, here), and the build, which does not follow such symlinks, never counted it.
#[cfg(unix)]
#[test]
fn new_meeting_refuses_a_symlinked_meetings_folder_the_build_would_not_read() {
    let (tmp, root) = project("small");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::rename(root.join("content/meetings"), elsewhere.join("meetings")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("meetings"), root.join("content/meetings")).unwrap();
    let o = run(&["new", "meeting", "Sync", "--date", "2026-10-20", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("content/meetings/ is a symlink, which the build does not follow: the meeting would not count"),
        "{e}"
    );
    assert!(!elsewhere.join("meetings/2026-10-20-sync.md").exists());
    // The same for a `content/` leading out of the project.
    std::fs::remove_file(root.join("content/meetings")).unwrap();
    std::fs::rename(root.join("content"), elsewhere.join("content")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("content"), root.join("content")).unwrap();
    let o = run(&["new", "meeting", "Sync", "--date", "2026-10-20", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("content/ is a symlink leading outside the project"), "{}", stderr(&o));
    assert!(!elsewhere.join("content/meetings").exists());
}

fn compile(kind: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let o = run(&["schema", "--kind", kind]);
    assert!(o.status.success(), "{}", stderr(&o));
    let schema: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut c = boon::Compiler::new();
    let loc = format!("file:///{kind}.json");
    c.add_resource(&loc, schema).unwrap();
    let idx = c.compile(&loc, &mut schemas).unwrap_or_else(|e| panic!("{kind}: {e}"));
    (schemas, idx)
}

fn yaml_json(text: &str) -> Value {
    let body = match smarketing::load::split_front_matter(text) {
        Some((fm, _, _)) => fm,
        None => text,
    };
    smarketing::load::yaml::to_json(&smarketing::load::yaml::parse(body, 0).unwrap().unwrap())
}

/// Every import map of the examples and the import fixtures.
fn import_maps() -> Vec<std::path::PathBuf> {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut maps: Vec<std::path::PathBuf> = std::fs::read_dir(base.join("examples/crm-import/exports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".map.yaml"))
        .collect();
    for fixture in ["hubspot", "salesforce"] {
        maps.push(base.join("tests/fixtures/import").join(fixture).join("map.yaml"));
    }
    maps
}

#[test]
fn schema_accepts_the_default_project_and_rejects_a_broken_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let cases = [
        ("site", vec![root.join("site.yaml")]),
        ("checklist", vec![root.join("checklist.yaml")]),
        ("funnel", std::fs::read_dir(root.join("funnel")).unwrap().map(|e| e.unwrap().path()).collect()),
        ("goals", std::fs::read_dir(root.join("goals")).unwrap().map(|e| e.unwrap().path()).collect()),
        ("personas", std::fs::read_dir(root.join("personas")).unwrap().map(|e| e.unwrap().path()).collect()),
        (
            "meeting-front-matter",
            std::fs::read_dir(root.join("meetings")).unwrap().map(|e| e.unwrap().path()).collect(),
        ),
        ("report-front-matter", std::fs::read_dir(root.join("reports")).unwrap().map(|e| e.unwrap().path()).collect()),
        ("import-map", import_maps()),
    ];
    for (kind, files) in cases {
        let (schemas, idx) = compile(kind);
        assert!(!files.is_empty());
        for f in files {
            let v = yaml_json(&std::fs::read_to_string(&f).unwrap());
            if let Err(e) = schemas.validate(&v, idx) {
                panic!("{kind} rejects {}: {e}", f.display());
            }
        }
    }
    let (schemas, idx) = compile("goals");
    let broken = yaml_json("- id: Bad_ID\n  title: x\n  owners: [marketing]\n  traget: 0.3\n  baseline: 0\n  start: 2026-13\n  due: 2026-12\n");
    assert!(schemas.validate(&broken, idx).is_err());
    let (schemas, idx) = compile("import-map");
    let broken = yaml_json("stages: {won: {date: close, wen: {Stage: Won}}}\ndecimal: \";\"\n");
    assert!(schemas.validate(&broken, idx).is_err(), "a misspelled `when`");
    let (schemas, idx) = compile("meeting");
    let broken = yaml_json("title: x\ndate: 2026-10-07\nattendees: [a]\nactions:\n  - {task: t, due: 2026-10-10}\n");
    assert!(schemas.validate(&broken, idx).is_err(), "action without owner");
    // The bundle compiles too, and `--out` writes one file per kind.
    let o = run(&["schema"]);
    let bundle: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(bundle["$defs"]["site"].is_object());
    let tmp = tempfile::tempdir().unwrap();
    assert!(run(&["schema", "--out", tmp.path().to_str().unwrap()]).status.success());
    assert!(tmp.path().join("funnel.schema.json").is_file());
    assert_eq!(run(&["schema", "--kind", "nope"]).status.code(), Some(2));
}

#[test]
fn theme_export_writes_a_theme_that_builds_the_same_site() {
    let (tmp, root) = project("small");
    let theme = root.join("themes/mine");
    let o = run(&["theme", "export", theme.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(theme.join("templates/report.html").is_file());
    assert!(theme.join("static/style.css").is_file());
    let o = run(&["theme", "export", theme.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "refuses to overwrite");
    let a = tmp.path().join("a");
    assert!(run(&["build", "--root", root.to_str().unwrap(), "--output", a.to_str().unwrap()]).status.success());
    let site = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    std::fs::write(root.join("content/site.yaml"), format!("{site}theme: mine\n")).unwrap();
    let b = tmp.path().join("b");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", b.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(snapshot(&a), snapshot(&b), "the exported theme renders exactly like the built-in one");
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success());
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("smarketing") && text.contains("build") && text.contains("serve"), "{shell}");
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

/// What tera writes for a text on a page.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[test]
fn any_meeting_title_round_trips_to_its_page() {
    let (tmp, root) = project("small");
    let r = root.to_str().unwrap();
    let titles = [
        "Sync\n---\nfoo: [",
        "- leading dash",
        "---",
        "a: b # not a comment",
        "\"quoted\" and 'single'",
        "Q4 🎉 kickoff\twith a tab",
        "null",
        "2026-01-01",
        "*alias &anchor !tag",
        "[flow, list]",
        "{flow: map}",
        "  padded  ",
        "% directive",
        "yes",
        "|",
        "line one\n\nline three",
        // 400 bytes: before, "File name too long" and no file.
        "We went through the whole pipeline account by account, agreed who calls back which lead, and then spent a long while on the webinar plan for next quarter, the partner program, the pricing page and the new lead scoring model that marketing wants to publish before the end of the month so that sales can start using it in their daily calls with prospects and existing customers in all regions.",
    ];
    let mut made = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        let date = format!("2026-10-{:02}", i + 6);
        let o = run(&["new", "meeting", "--date", &date, "--attendees", "Ann, Bob", "--root", r, "--", title]);
        assert!(o.status.success(), "{title:?}: {}", stderr(&o));
        made.push(String::from_utf8_lossy(&o.stdout).trim().to_string());
    }
    let o = run(&["check", "--strict", "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", r, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (title, file) in titles.iter().zip(&made) {
        let slug = std::path::Path::new(file).file_stem().unwrap().to_string_lossy().to_string();
        let page = std::fs::read_to_string(out.join("meetings").join(&slug).join("index.html")).unwrap();
        assert!(page.contains(&format!("<h1>{}</h1>", html_escape(title))), "{title:?} not verbatim on {slug}");
        let text = std::fs::read_to_string(file).unwrap();
        assert!(text.contains("attendees:\n- Ann\n- Bob\n"), "{text}");
    }
}

#[test]
fn new_meeting_is_dated_by_the_local_date() {
    let (_tmp, root) = project("small");
    // UTC+14 and UTC-12: at any moment at least one of them is on another day than UTC.
    for (i, zone) in ["Etc/GMT-14", "Etc/GMT+12"].iter().enumerate() {
        let tz = jiff::tz::TimeZone::get(zone).unwrap();
        let before = jiff::Timestamp::now().to_zoned(tz.clone()).date();
        // This test is about the clock: it unpins the as-of date and sets the zone itself.
        let o = command()
            .args(["new", "meeting", &format!("Local {i}"), "--root", root.to_str().unwrap()])
            .env_remove("SOURCE_DATE_EPOCH")
            .env("TZ", zone)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let after = jiff::Timestamp::now().to_zoned(tz).date();
        let made = String::from_utf8_lossy(&o.stdout);
        let named = |d: jiff::civil::Date| made.contains(&format!("{d}-local-{i}.md"));
        assert!(named(before) || named(after), "{zone}: {made} is not dated {before}");
    }
}
