//! Hostile input and faults, round three: numbers at the ends of the float range, symlinks to
//! secrets, output paths through `..`, device files, a user's folders beside the output, odd
//! characters in names. Each test failed before its fix; every run has a time limit, so a
//! hang fails the test instead of stalling the suite.

use crate::common::*;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::Duration;

/// Far more than any of these runs takes; only a hang reaches it.
const LIMIT: Duration = Duration::from_secs(60);

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The small fixture with one more goal, written as YAML lines after `- id: extreme`.
fn with_goal(lines: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = project("small");
    let path = root.join("content/goals/extreme.yaml");
    fs::write(&path, format!("- id: extreme\n  title: Extreme\n  owners: [sales]\n{lines}")).unwrap();
    (tmp, root)
}

#[test]
fn numbers_past_what_a_chart_can_draw_are_errors_at_the_value_and_never_hang() {
    // Each once looped in the chart ticks (0.5 GB/s until killed) or spun at 100% CPU, and
    // `check` said "no problems found".
    let cases = [
        ("  unit: number\n  baseline: -1e308\n  target: 1e308\n  start: 2026-10\n  due: 2026-12\n", 5, 13),
        ("  unit: number\n  baseline: 0\n  target: 5e-324\n  start: 2026-10\n  due: 2026-12\n", 6, 11),
        (
            "  unit: number\n  baseline: 0\n  target: 1\n  start: 2026-10\n  due: 2026-12\n  checkins:\n    - {month: 2026-10, value: -8e307}\n    - {month: 2026-11, value: 8e307}\n",
            10,
            31,
        ),
    ];
    for (lines, line, col) in cases {
        let (tmp, root) = with_goal(lines);
        let c = run_within(&["check", "--root", s(&root)], LIMIT);
        let err = stderr(&c);
        assert_eq!(c.status.code(), Some(1), "{err}");
        assert!(err.contains(&format!("content/goals/extreme.yaml:{line}:{col}")), "{err}");
        assert!(err.contains("numbers are 0 or between 0.000000001 and 9,007,199,254,740,991"), "{err}");
        let out = tmp.path().join("site");
        let b = run_within(&["build", "--root", s(&root), "--output", s(&out)], LIMIT);
        assert_eq!(b.status.code(), Some(1), "{}", stderr(&b));
        assert!(!out.exists());
    }
    // The largest and smallest numbers allowed still build, with every chart drawn.
    let (tmp, root) = with_goal(
        "  unit: number\n  baseline: -9007199254740991\n  target: 9007199254740991\n  start: 2026-10\n  due: 2026-12\n  checkins:\n    - {month: 2026-10, value: 0.000000001}\n",
    );
    let out = tmp.path().join("site");
    let b = run_within(&["build", "--root", s(&root), "--output", s(&out)], LIMIT);
    assert!(b.status.success(), "{}", stderr(&b));
    let goals = fs::read_to_string(out.join("goals/index.html")).unwrap();
    assert!(goals.contains("Extreme") && !goals.contains("inf"), "{goals}");
}

#[test]
fn static_symlinks_to_secrets_or_out_of_the_project_are_errors_and_never_published() {
    let (tmp, root) = project("small");
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(root.join(".git/config"), "[http] extraheader = AUTHORIZATION: basic c2VjcmV0").unwrap();
    fs::write(root.join(".env"), "API_TOKEN=secret").unwrap();
    symlink("../.git/config", root.join("static/config.txt")).unwrap();
    symlink("../.env", root.join("static/env.txt")).unwrap();
    let out = tmp.path().join("site");
    let b = run_within(&["build", "--root", s(&root), "--output", s(&out)], LIMIT);
    let err = stderr(&b);
    assert_eq!(b.status.code(), Some(1), "{err}");
    assert!(err.contains("static/config.txt") && err.contains("`.git/config`, a hidden file"), "{err}");
    assert!(err.contains("static/env.txt") && err.contains("`.env`"), "{err}");
    assert!(!out.exists(), "nothing published");
    let c = run_within(&["check", "--root", s(&root)], LIMIT);
    assert_eq!(c.status.code(), Some(1), "check finds it too: {}", stderr(&c));
}

#[test]
fn an_output_reaching_an_input_folder_through_dotdot_is_refused() {
    let (tmp, root) = project("small");
    fs::create_dir_all(root.join("templates")).unwrap();
    for (target, dir) in [("nothere/../templates", "templates"), ("nothere/deeper/../../static", "static")] {
        let absolute = root.join(target);
        let b = run_within(&["build", "--root", s(&root), "--output", s(&absolute)], LIMIT);
        let err = stderr(&b);
        assert_eq!(b.status.code(), Some(1), "{target}: {err}");
        assert!(err.contains(&format!("it is inside {dir}/")), "{err}");
        // From inside the project, relative to the working folder, and with `--root .`.
        let b = run_within_in(Some(&root), &["build", "--root", ".", "--output", target], LIMIT);
        assert_eq!(b.status.code(), Some(1), "{target}: {}", stderr(&b));
        let b = run_within_in(
            Some(tmp.path()),
            &["build", "--root", "project", "--output", &format!("project/{target}")],
            LIMIT,
        );
        assert_eq!(b.status.code(), Some(1), "{target}: {}", stderr(&b));
    }
    assert_eq!(fs::read_dir(root.join("templates")).unwrap().count(), 0, "nothing written into templates/");
    assert!(!root.join("nothere").exists());
    // A symlink met after `..` is followed: `link` leads into templates/.
    symlink(root.join("templates"), root.join("link")).unwrap();
    let b = run_within(&["build", "--root", s(&root), "--output", s(&root.join("nothere/../link/site"))], LIMIT);
    assert!(stderr(&b).contains("it is inside templates/"), "{}", stderr(&b));
}

#[test]
fn import_never_replaces_a_device_fifo_or_socket_even_with_force() {
    let fixture = fixture("import");
    let csv = fixture.join("hubspot/contacts.csv");
    let map = fixture.join("hubspot/map.yaml");
    assert!(csv.exists() && map.exists());
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe.yaml");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    // A socket file (a device node would need mknod; `/dev/null` itself is not touched here).
    let socket = tmp.path().join("socket.yaml");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    for target in [fifo.as_path(), socket.as_path()] {
        let before = fs::symlink_metadata(target).unwrap().file_type();
        let o = run_within(&["import", s(&csv), "--map", s(&map), "--output", s(target), "--force"], LIMIT);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("not a regular file"), "{err}");
        assert_eq!(fs::symlink_metadata(target).unwrap().file_type(), before, "{} untouched", target.display());
    }
}

#[test]
fn symlinked_templates_inside_the_project_are_used_and_others_are_errors() {
    let (tmp, root) = project("small");
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::create_dir_all(root.join("shared")).unwrap();
    fs::write(
        root.join("shared/glossary.html"),
        "{% extends \"default/glossary.html\" %}{% block title %}LINKED GLOSSARY{% endblock %}",
    )
    .unwrap();
    symlink("../shared/glossary.html", root.join("templates/glossary.html")).unwrap();
    let out = tmp.path().join("site");
    let b = run_within(&["build", "--root", s(&root), "--output", s(&out)], LIMIT);
    assert!(b.status.success(), "{}", stderr(&b));
    let page = fs::read_to_string(out.join("glossary/index.html")).unwrap();
    assert!(page.contains("LINKED GLOSSARY"), "a symlinked template inside the project is used");
    // Out of the project, or to nothing: an error naming it, never silently the built-in one.
    fs::write(tmp.path().join("outside.html"), "{% extends \"default/actions.html\" %}").unwrap();
    symlink(tmp.path().join("outside.html"), root.join("templates/actions.html")).unwrap();
    symlink("../nowhere.html", root.join("templates/funnel.html")).unwrap();
    let c = run_within(&["check", "--root", s(&root)], LIMIT);
    let err = stderr(&c);
    assert_eq!(c.status.code(), Some(1), "{err}");
    assert!(err.contains("templates/actions.html") && err.contains("leads outside the project"), "{err}");
    assert!(err.contains("templates/funnel.html") && err.contains("leads nowhere"), "{err}");
}

#[test]
fn names_of_unknown_files_in_the_output_reach_the_terminal_escaped() {
    let (tmp, root) = project("small");
    let out = tmp.path().join("site");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("\u{1b}]0;PWNED\u{7}\u{1b}[2J"), "x").unwrap();
    let b = run_within(&["build", "--root", s(&root), "--output", s(&out)], LIMIT);
    let err = stderr(&b);
    assert_eq!(b.status.code(), Some(1), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J"), "{err}");
}

#[test]
fn a_users_folder_beside_the_output_named_like_a_builds_is_never_deleted() {
    let (tmp, root) = project("small");
    let out = tmp.path().join("public");
    // Named like the tool's own leftovers, but not made by it.
    for name in [".public.smarketing-notes", ".public.smarketing-tmp-1", ".public.smarketing-old-77"] {
        fs::create_dir_all(tmp.path().join(name)).unwrap();
        fs::write(tmp.path().join(name).join("mine.txt"), "my notes").unwrap();
    }
    fs::write(tmp.path().join(".public.smarketing-tmp-2"), "a file of mine").unwrap();
    // A killed build's staging folder (its mark inside) and an empty one do go.
    fs::create_dir_all(tmp.path().join(".public.smarketing-tmp-3")).unwrap();
    fs::write(tmp.path().join(".public.smarketing-tmp-3/.smarketing-staging"), "").unwrap();
    fs::write(tmp.path().join(".public.smarketing-tmp-3/index.html"), "half a site").unwrap();
    fs::create_dir_all(tmp.path().join(".public.smarketing-old-4")).unwrap();
    let b = run_within(&["build", "--root", s(&root), "--output", s(&out)], LIMIT);
    assert!(b.status.success(), "{}", stderr(&b));
    for name in [".public.smarketing-notes", ".public.smarketing-tmp-1", ".public.smarketing-old-77"] {
        assert_eq!(fs::read_to_string(tmp.path().join(name).join("mine.txt")).unwrap(), "my notes", "{name}");
    }
    assert_eq!(fs::read_to_string(tmp.path().join(".public.smarketing-tmp-2")).unwrap(), "a file of mine");
    assert!(!tmp.path().join(".public.smarketing-tmp-3").exists());
    assert!(!tmp.path().join(".public.smarketing-old-4").exists());
    assert!(!out.join(".smarketing-staging").exists(), "the staging mark never reaches the site");
    // A second build over the first is still fine (the site carries no unknown file).
    let b = run_within(&["build", "--root", s(&root), "--output", s(&out)], LIMIT);
    assert!(b.status.success(), "{}", stderr(&b));
}

#[test]
fn a_fifo_in_place_of_the_output_marker_is_refused_not_waited_on() {
    let (tmp, root) = project("small");
    let out = tmp.path().join("public");
    fs::create_dir_all(&out).unwrap();
    let status = std::process::Command::new("mkfifo").arg(out.join(".smarketing-build")).status().unwrap();
    assert!(status.success());
    let b = run_within(&["build", "--root", s(&root), "--output", s(&out)], Duration::from_secs(30));
    let err = stderr(&b);
    assert_eq!(b.status.code(), Some(1), "{err}");
    assert!(err.contains(".smarketing-build is not a regular file"), "{err}");
}

#[test]
fn invisible_characters_in_names_are_shown_escaped_in_messages() {
    let (_tmp, root) = project("small");
    fs::write(
        root.join("content/meetings/2026-10-20-nbsp.yaml"),
        "title: Check\ndate: 2026-10-20\nattendees: [\"An\u{a0}n\", \"B\u{200b}ob\"]\n",
    )
    .unwrap();
    let c = run_within(&["check", "--root", s(&root)], LIMIT);
    let err = stderr(&c);
    // "did you mean `Ann`?" beside `An n` that looks the same: the odd one is shown escaped.
    assert!(err.contains("An\\u{a0}n"), "{err}");
    assert!(err.contains("B\\u{200b}ob"), "{err}");
    assert!(!err.contains('\u{a0}') && !err.contains('\u{200b}'), "{err:?}");
}

#[test]
fn theme_export_onto_a_file_says_it_is_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("notes.txt");
    fs::write(&file, "mine").unwrap();
    let o = run_within(&["theme", "export", s(&file)], LIMIT);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("it is a file, not a folder") && !err.contains("not empty"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn source_date_epoch_past_year_9999_is_out_of_range() {
    let (_tmp, root) = project("small");
    let o = run_env(&["check", "--root", s(&root)], &[("SOURCE_DATE_EPOCH", Some("253402300799"))]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("out of range") && !err.contains("whole number"), "{err}");
}

#[test]
fn an_action_due_on_the_last_day_of_9999_is_a_valid_all_day_event() {
    let (tmp, root) = project("small");
    fs::write(
        root.join("content/meetings/2026-11-20-far.yaml"),
        "title: Far\ndate: 2026-11-20\nattendees: [Ann]\nactions:\n  - {task: Someday, owner: Ann, due: 9999-12-31}\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let b = run_within(&["build", "--root", s(&root), "--output", s(&out)], LIMIT);
    assert!(b.status.success(), "{}", stderr(&b));
    let ics = fs::read_to_string(out.join("actions.ics")).unwrap();
    let event = ics.split("BEGIN:VEVENT").find(|e| e.contains("Someday")).unwrap();
    assert!(event.contains("DTSTART;VALUE=DATE:99991231\r\n"), "{event}");
    // No DTEND equal to DTSTART (a zero-length event); without one it lasts the day.
    assert!(!event.contains("DTEND"), "{event}");
    assert!(!ics.contains("\r\n\r\n"), "no empty line");
    // Other events keep their DTEND, the day after.
    assert!(ics.contains("DTEND;VALUE=DATE:"), "{ics}");
}

#[test]
fn check_renders_every_page_and_finds_what_build_cannot_render() {
    let (_tmp, root) = project("small");
    fs::create_dir_all(root.join("templates")).unwrap();
    let overrides = [
        ("glossary.html", "{% extends \"default/glossary.html\" %}\n{% block title %}{{ site.titel }}{% endblock %}\n"),
        ("funnel.html", "{% extends \"default/funnel.html\" %}\n{% block title %}\n{{ 1/0 }}{% endblock %}\n"),
        ("goals.html", "{% extends \"default/goals.html\" %}\n{% block title %}{{ \"a\" | int }}{% endblock %}\n"),
    ];
    for (name, text) in overrides {
        fs::write(root.join("templates").join(name), text).unwrap();
    }
    // Before, check said "no problems found" (also with --strict) and build failed.
    let c = run_within(&["check", "--strict", "--root", s(&root)], LIMIT);
    let err = stderr(&c);
    assert_eq!(c.status.code(), Some(1), "{err}");
    assert!(err.contains("Field `titel` is not defined") && err.contains("templates/glossary.html:2:26"), "{err}");
    assert!(err.contains("Cannot divide by 0") && err.contains("templates/funnel.html:3:6"), "{err}");
    assert!(err.contains("cannot be converted to an int") && err.contains("templates/goals.html:2:27"), "{err}");
    assert!(err.contains("check: 3 errors"), "{err}");
    // Nothing is written by check.
    assert!(!root.join("public").exists());
}

/// A component rendering itself four times per level, 19 levels deep: 4^19 leaves. `direct`
/// writes as it goes; otherwise each level's output passes through a filter first, so nothing
/// reaches the page until the whole tree is done.
fn bomb(direct: bool) -> String {
    let call = if direct { "{{ <bomb n={n-1}/> }}" } else { "{{ <bomb n={n-1}/> | upper }}" };
    format!(
        "{{% component bomb(n) %}}{{% if n > 0 %}}{}{{% else %}}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{% endif %}}{{% endcomponent bomb %}}\n{{{{ <bomb n={{19}}/> }}}}\n",
        call.repeat(4)
    )
}

#[test]
fn a_template_calling_itself_four_times_per_level_is_stopped_naming_it() {
    let (tmp, root) = project("small");
    fs::create_dir_all(root.join("templates")).unwrap();
    let budget = [("SMARKETING_PAGE_SECONDS", "2")];
    let out = tmp.path().join("site");
    for direct in [true, false] {
        fs::write(root.join("templates/glossary.html"), bomb(direct)).unwrap();
        // Before: ran until killed (a 2 GB page, 3 GB of memory), and check passed it.
        for args in [vec!["check", "--root", s(&root)], vec!["build", "--root", s(&root), "--output", s(&out)]] {
            let o = run_within_env(None, &args, &budget, LIMIT);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{args:?} {err}");
            assert!(err.contains("templates/glossary.html") && err.contains("glossary/index.html"), "{err}");
            assert!(err.contains("calls itself"), "{err}");
            assert!(!out.exists(), "nothing published");
        }
    }
}

#[test]
fn content_files_whose_names_are_not_utf8_are_errors_naming_them() {
    use std::os::unix::ffi::OsStrExt;
    let (_tmp, root) = project("small");
    let funnel = root.join("content/funnel").join(std::ffi::OsStr::from_bytes(b"m\xe4rz.yaml"));
    fs::write(&funnel, "- month: 2026-03\n  stages: {leads: 1, mql: 1, sql: 1, opportunities: 1, won: 1}\n").unwrap();
    for name in [&b"2026-10-07-m\xe4rz.md"[..], &b"2026-10-07-m\xc4rz.md"[..]] {
        fs::write(root.join("content/meetings").join(std::ffi::OsStr::from_bytes(name)), "---\ntitle: M\n---\n")
            .unwrap();
    }
    // Before: "not in a known content folder and is ignored" (a warning), its months gone with
    // exit 0; the two meetings shared one name (`m\u{fffd}rz`) in the JSON.
    let c = run_within(&["check", "--root", s(&root)], LIMIT);
    let err = stderr(&c);
    assert_eq!(c.status.code(), Some(1), "{err}");
    assert!(err.contains("content/funnel/m\\xe4rz.yaml") && err.contains("is not UTF-8 text"), "{err}");
    assert!(!err.contains('\u{fffd}'), "{err}");
    let j = run_within(&["check", "--format", "json", "--root", s(&root)], LIMIT);
    let list: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap();
    let files: Vec<&str> = list.as_array().unwrap().iter().filter_map(|d| d["file"].as_str()).collect();
    for f in ["content/meetings/2026-10-07-m\\xe4rz.md", "content/meetings/2026-10-07-m\\xc4rz.md"] {
        assert!(files.contains(&f), "{f} in {files:?}");
    }
}

/// Runs `import CSV --map MAP` on files written into a temporary folder.
fn import(csv: &str, map: &str) -> (std::process::Output, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.csv"), csv).unwrap();
    fs::write(tmp.path().join("m.yaml"), map).unwrap();
    let o = run_within_in(Some(tmp.path()), &["import", "a.csv", "--map", "m.yaml"], LIMIT);
    (o, tmp)
}

#[test]
fn placeholder_dates_in_an_import_are_errors_at_their_cell() {
    let csv =
        "id,created,won\n1,2024-01-07,0001-01-01\n2,0000-01-05,2024-02-01\n3,2024-01-09,2250-01-01\n4,2024-01-10,\n";
    let (o, _t) = import(csv, "stages: {leads: created, won: won}\n");
    let err = stderr(&o);
    // Before: exit 0 and `month: 0001-01`, which check then refused (a 24,311-month span).
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("0001-01"));
    assert!(err.contains("a.csv:2:14") && err.contains("0001-01-01 is before the years 1900 to 2200"), "{err}");
    assert!(err.contains("a.csv:3:3") && err.contains("0000-01-05 is before"), "{err}");
    assert!(err.contains("a.csv:4:14") && err.contains("2250-01-01 is after"), "{err}");
    assert!(err.contains("no date"), "{err}");
}

#[test]
fn an_import_counts_one_channel_in_both_unicode_forms_as_one() {
    let csv = "id,created,source\n1,2024-01-07,R\u{e9}seau\n2,2024-01-08,Re\u{301}seau\n3,2024-01-09,R\u{e9}seau\n";
    let (o, _t) = import(csv, "stages: {leads: created}\nchannel: source\n");
    let yaml = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    // Before: two channels, 2 and 1 leads, which the load then refused as one key twice.
    assert_eq!(yaml.matches("seau").count(), 1, "{yaml}");
    assert!(yaml.contains("R\u{e9}seau:\n      leads: 3"), "{yaml}");
}

#[test]
fn a_map_column_name_with_a_control_character_is_an_error_saying_why() {
    let (o, _t) = import("id,created\n1,2024-01-07\n", "stages: {leads: \"cre\\u0007ated\"}\n");
    let err = stderr(&o);
    // Before: "import: 1 warning; nothing was written", exit 1, and no error.
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error: the column name for") && err.contains("holds a control character"), "{err}");
    assert!(err.contains("m.yaml:1:17"), "{err}");
}

#[test]
fn composed_and_decomposed_spellings_are_one_name() {
    let (tmp, root) = project("small");
    let site = fs::read_to_string(root.join("content/site.yaml")).unwrap();
    // The member written composed (ë as one character), the attendee and owner decomposed
    // (e + U+0308), as a Mac may save them.
    fs::write(root.join("content/site.yaml"), site.replace("members: [Ann]", "members: [Ann, \"Zo\u{eb}\"]")).unwrap();
    fs::write(
        root.join("content/meetings/2026-10-12-caf\u{e9}.yaml"),
        "title: Café\ndate: 2026-10-12\nattendees: [\"Zoe\u{308}\"]\nactions:\n  - {task: T, owner: \"Zoe\u{308}\", due: 2026-10-30}\n",
    )
    .unwrap();
    let c = run_within(&["check", "--root", s(&root)], LIMIT);
    let err = stderr(&c);
    // Before: "attendee `Zoë` is not a member of any team … did you mean `Zoë`?".
    assert!(c.status.success() && !err.contains("not a member"), "{err}");
    // The same page name once composed and once decomposed: one folder on macOS.
    fs::write(
        root.join("content/meetings/2026-10-12-cafe\u{301}.yaml"),
        "title: Café again\ndate: 2026-10-12\nattendees: [Ann]\n",
    )
    .unwrap();
    let c = run_within(&["check", "--root", s(&root)], LIMIT);
    let err = stderr(&c);
    assert_eq!(c.status.code(), Some(1), "{err}");
    assert!(err.contains("two meetings have the page name `2026-10-12-caf\u{e9}`"), "{err}");
    // Channel names: one channel, its numbers together.
    let (tmp2, root2) = project("small");
    let funnel = root2.join("content/funnel/2026.yaml");
    let text = fs::read_to_string(&funnel).unwrap();
    fs::write(
        &funnel,
        text.replace(
            "organic search: {leads: 700,",
            "\"R\u{e9}seau\": {leads: 5}\n    \"Re\u{301}seau\": {leads: 700,",
        ),
    )
    .unwrap();
    let c = run_within(&["check", "--root", s(&root2)], LIMIT);
    assert_eq!(c.status.code(), Some(1), "one channel given twice: {}", stderr(&c));
    drop((tmp, tmp2));
}

/// The user the read-only-parent test runs the binary as when the tests run as root.
const NOBODY: u32 = 65534;

#[test]
fn an_output_whose_parent_cannot_be_written_is_built_in_place() {
    use std::os::unix::fs::{chown, PermissionsExt};
    let (tmp, root) = project("small");
    let parent = tmp.path().join("shared");
    let out = parent.join("public");
    fs::create_dir_all(&out).unwrap();
    fs::write(root.join("static/keep-me.txt"), "kept").unwrap();
    // The binary runs as a user who owns the (empty) output but cannot write its parent: as
    // `nobody` when the tests run as root (root writes anywhere), else as the test's user.
    // SAFETY: geteuid has no preconditions and cannot fail.
    let as_root = unsafe { libc::geteuid() } == 0;
    let smarketing = std::path::PathBuf::from(env!("CARGO_BIN_EXE_smarketing"));
    let mut bin_dir = None;
    let program = if as_root {
        fn give(dir: &Path) {
            std::os::unix::fs::lchown(dir, Some(NOBODY), Some(NOBODY)).unwrap();
            if fs::symlink_metadata(dir).unwrap().is_dir() {
                for e in fs::read_dir(dir).unwrap() {
                    give(&e.unwrap().path());
                }
            }
        }
        give(tmp.path());
        chown(&parent, Some(0), Some(0)).unwrap();
        let bin = tempfile::tempdir().unwrap();
        fs::set_permissions(bin.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let linked = bin.path().join("smarketing");
        fs::copy(&smarketing, &linked).unwrap();
        bin_dir = Some(bin);
        linked
    } else {
        smarketing
    };
    fs::set_permissions(&parent, fs::Permissions::from_mode(0o555)).unwrap();
    let build = || {
        let mut cmd = std::process::Command::new(&program);
        cmd.args(["build", "--root", s(&root), "--output", s(&out)])
            .env("NO_COLOR", "1")
            .env("SOURCE_DATE_EPOCH", TEST_EPOCH);
        if as_root {
            std::os::unix::process::CommandExt::uid(&mut cmd, NOBODY);
            std::os::unix::process::CommandExt::gid(&mut cmd, NOBODY);
        }
        cmd.output().unwrap()
    };
    // Before: "cannot create .public.smarketing-tmp-…: Permission denied", with the hint
    // "check the folder's permissions", whatever the user did.
    let o = build();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("index.html").is_file() && out.join(".smarketing-build").is_file());
    assert_eq!(fs::read_to_string(out.join("keep-me.txt")).unwrap(), "kept");
    // Again over its own site, with a file fewer: the old file goes, nothing is left over.
    fs::remove_file(root.join("static/keep-me.txt")).unwrap();
    let o = build();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("keep-me.txt").exists());
    let names: Vec<String> =
        fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert!(names.iter().all(|n| !n.contains("smarketing-tmp")), "{names:?}");
    assert!(leftovers(&parent).is_empty());
    fs::set_permissions(&parent, fs::Permissions::from_mode(0o755)).unwrap();
    drop(bin_dir);
}

#[test]
fn an_output_that_is_a_mount_point_is_built_in_place() {
    // A tmpfs mounted on the output in a mount namespace of its own (gone with the process):
    // renaming a mount point fails with EBUSY. Needs the right to mount (root, as in CI).
    let probe = std::process::Command::new("unshare").args(["-m", "true"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: `unshare -m` is not allowed here (needs root); the test of a read-only parent covers the fallback");
        return;
    }
    let (tmp, root) = project("small");
    let out = tmp.path().join("volume");
    fs::create_dir_all(&out).unwrap();
    let bin = env!("CARGO_BIN_EXE_smarketing");
    let script = format!(
        "mount -t tmpfs none '{o}' && '{b}' build --root '{r}' --output '{o}' && '{b}' build --root '{r}' --output '{o}' && test -f '{o}/index.html' && test -f '{o}/.smarketing-build' && ls -A '{o}'",
        o = out.display(),
        b = bin,
        r = root.display()
    );
    let o = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", TEST_EPOCH)
        .output()
        .unwrap();
    // Before: "cannot move aside …: Device or resource busy", hint "check permissions and free
    // disk space".
    let listing = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}\n{listing}", stderr(&o));
    assert!(listing.contains("index.html") && !listing.contains("smarketing-tmp"), "{listing}");
}
