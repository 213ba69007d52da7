//! Hostile and broken input: injection through every content field, resource bombs, odd file
//! names, symlinks, and builds killed at any moment. Each test fails without its protection.

use crate::common::*;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

#[test]
fn no_content_field_can_become_markup_anywhere() {
    let (tmp, root) = project("hostile");
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = snapshot(&out);
    assert!(
        files.contains_key("feed.xml")
            && files.contains_key("sitemap.xml")
            && files.contains_key("personas/index.html")
    );
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path == "actions.ics" {
            // text/calendar is not markup: the task is shown as written, escaped per RFC 5545.
            let unfolded = text.replace("\r\n ", "");
            assert!(
                unfolded
                    .contains("SUMMARY:T <script>alert(1)</script>\"><img src=x onerror=alert(2)>]]> (Ann <script>"),
                "{unfolded}"
            );
            continue;
        }
        for bad in [
            "<script",
            "<img src=x",
            "<iframe",
            "\"><img",
            "javascript:",
            "vbscript:",
            "data:text/html",
            "href=\"data:",
        ] {
            assert!(!text.contains(bad), "{path} contains {bad}");
        }
    }
    // The text is still there, shown as text.
    let report = String::from_utf8_lossy(&files["reports/2026-10/index.html"]).to_string();
    assert!(report.contains("G &lt;script&gt;alert(1)&lt;/script&gt;"), "goal title escaped");
    assert!(report.contains("C &lt;script&gt;"), "channel name escaped in table and chart");
    let feed = String::from_utf8_lossy(&files["feed.xml"]).to_string();
    assert!(
        feed.contains(
            "<title>T &lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;]]&gt;</title>"
        ),
        "{feed}"
    );
}

#[test]
fn resource_bombs_end_in_clear_errors() {
    let limit = Duration::from_secs(60);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "content/goals/laughs.yaml",
            {
                let mut s =
                    String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
                let mut prev = 'a';
                for c in 'b'..='i' {
                    s.push_str(&format!(
                        "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
                    ));
                    prev = c;
                }
                s.into_bytes()
            },
            "expands to more than",
        ),
        (
            "content/goals/deep.yaml",
            ("[".repeat(100_000) + &"]".repeat(100_000)).into_bytes(),
            "nesting deeper than 64 levels",
        ),
        (
            "content/goals/deep-block.yaml",
            (0..2000).map(|i| format!("{}- k:\n", " ".repeat(i * 2))).collect::<String>().into_bytes(),
            "nesting deeper than 64 levels",
        ),
        ("content/goals/huge.yaml", vec![b'#'; 11 * 1024 * 1024], "larger than the 10 MiB limit"),
        ("content/goals/binary.yaml", (0..4096u32).map(|i| (i * 7919 % 256) as u8).collect(), "not UTF-8 text"),
    ];
    for (file, bytes, expected) in cases {
        let (_tmp, root) = project("small");
        std::fs::write(root.join(file), bytes).unwrap();
        let o = run_within(&["check", "--root", root.to_str().unwrap()], limit);
        assert_eq!(o.status.code(), Some(1), "{file}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains(file) && e.contains(expected), "{file}: {e}");
    }
    // A 10,000-column CSV line.
    let tmp = tempfile::tempdir().unwrap();
    let header: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
    std::fs::write(tmp.path().join("wide.csv"), header.join(",") + "\n").unwrap();
    std::fs::write(tmp.path().join("m.yaml"), "stages: {leads: c1}\n").unwrap();
    let (csv, map) = (tmp.path().join("wide.csv"), tmp.path().join("m.yaml"));
    let import_wide = || run_within(&["import", csv.to_str().unwrap(), "--map", map.to_str().unwrap()], limit);
    let o = import_wide();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("wide.csv") && stderr(&o).contains("more than 1000 cells"), "{}", stderr(&o));
    let mut rows = String::from("c1\n2026-10-01\n");
    rows.push_str(&vec!["x"; 10_000].join(","));
    rows.push('\n');
    std::fs::write(tmp.path().join("wide.csv"), rows).unwrap();
    let o = import_wide();
    assert_eq!(o.status.code(), Some(1));
    // At the first cell past the limit: `x,` 1,000 times, so column 2001.
    assert!(stderr(&o).contains("wide.csv:3:2001\n"), "{}", stderr(&o));
}

#[test]
fn odd_file_names_work_and_cannot_escape() {
    let (tmp, root) = project("small");
    let name = "2026-10-06 Q4 plan ü & $(touch pwned) 'x' #1.md";
    std::fs::write(
        root.join("content/meetings").join(name),
        "---\ntitle: Odd\ndate: 2026-10-06\nattendees: [Ann]\n---\nhello\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stem = name.trim_end_matches(".md");
    assert!(out.join("meetings").join(stem).join("index.html").is_file());
    assert!(!root.join("pwned").exists() && !Path::new("pwned").exists());
    let list = std::fs::read_to_string(out.join("meetings/index.html")).unwrap();
    assert!(list.contains("href=\"../meetings/2026-10-06%20Q4%20plan%20%C3%BC%20%26%20%24%28touch%20pwned%29%20%27x%27%20%231/index.html\""), "{list}");
}

#[test]
fn upper_case_extensions_are_read_and_broken_front_matter_is_an_error_not_a_skip() {
    let (tmp, root) = project("small");
    let meetings = root.join("content/meetings");
    // Saved on a system whose names ignore case: before, both were silently left out, so the
    // month lost a joint meeting (the checklist's evidence) without a word.
    std::fs::write(
        meetings.join("2026-10-20-Review.MD"),
        "---\ntitle: Upper\ndate: 2026-10-20\nattendees: [Ann, Bob]\n---\nNotes\n",
    )
    .unwrap();
    std::fs::write(
        meetings.join("2026-10-21-Call.YML"),
        "title: Upper yaml\ndate: 2026-10-21\nattendees: [Ann, Bob]\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/reports")).unwrap();
    std::fs::write(root.join("content/reports/2026-10.Md"), "Commentary in capitals.\n").unwrap();
    let out = tmp.path().join("site");
    let o = run(&["build", "-q", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("data/2026-10.json")).unwrap()).unwrap();
    let listed: Vec<&str> = data["meetings"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    assert_eq!(listed, ["2026-10-05-sync", "2026-10-20-Review", "2026-10-21-Call"]);
    assert_eq!(data["checklist"][0]["evidence"], 3, "three joint meetings");
    let report = std::fs::read_to_string(out.join("reports/2026-10/index.html")).unwrap();
    assert!(report.contains("Commentary in capitals."));
    // Front matter with no fields, or never closed: an error at line 1, never "an empty file"
    // warning and a meeting quietly dropped.
    std::fs::write(meetings.join("2026-10-22-empty.md"), "---\n# to do\n---\nWe met.\n").unwrap();
    std::fs::write(
        meetings.join("2026-10-23-open.md"),
        "---\ntitle: Open\ndate: 2026-10-23\nattendees: [Ann]\nWe met.\n",
    )
    .unwrap();
    std::fs::write(root.join("content/reports/2026-11.md"), "---\ntitle: November\nThe month.\n").unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("error: this meeting note's front matter is empty\n --> content/meetings/2026-10-22-empty.md:1:1"),
        "{e}"
    );
    assert!(e.contains("error: this front matter is never closed: no `---` line follows it\n --> content/meetings/2026-10-23-open.md:1:1"), "{e}");
    assert!(e.contains("warning: this front matter is never closed: no `---` line follows it, so the whole file is shown as the commentary\n --> content/reports/2026-11.md:1:1"), "{e}");
    assert!(e.contains("check: 2 errors and 1 warning"), "{e}");
}

#[test]
fn yaml_merge_keys_fill_in_fields_and_a_bad_one_is_an_error_at_its_line() {
    let (tmp, root) = project("small");
    // Before, `<<` was read as a stage named "<<" (two errors), so the usual YAML way to
    // repeat a month's figures failed.
    std::fs::write(
        root.join("content/funnel/2026.yaml"),
        "- month: 2026-09\n  stages: &sept {leads: 1000, mql: 250, sql: 100, opportunities: 50, won: 10}\n  spend: &spend {marketing: 20000, sales: 30000}\n- month: 2026-10\n  stages:\n    won: 20\n    <<: *sept\n  spend: {<<: *spend}\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o = run(&["build", "-q", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("data/2026-10.json")).unwrap()).unwrap();
    // The month's own `won: 20` wins over the merged 10, wherever it stands.
    assert_eq!(
        data["stages"],
        serde_json::json!({"leads": 1000, "mql": 250, "sql": 100, "opportunities": 50, "won": 20})
    );
    assert_eq!(data["cac"], 2500.0, "(20000 + 30000) / 20");
    assert_eq!(data["cost_per_lead"], 20.0, "20000 / 1000");
    let mut text = std::fs::read_to_string(root.join("content/funnel/2026.yaml")).unwrap();
    text.push_str("- month: 2026-11\n  stages:\n    <<: [*sept, 3]\n");
    std::fs::write(root.join("content/funnel/2026.yaml"), text).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("error: a merge key `<<` takes a map, found a single value\n  --> content/funnel/2026.yaml:11:5"),
        "{e}"
    );
}

#[test]
fn a_megabyte_value_gives_a_screenful_of_errors_and_never_a_giant_site() {
    let (_tmp, root) = project("small");
    let site = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    let site: String = site
        .lines()
        .filter(|l| !["title:", "currency:", "organization:"].iter().any(|k| l.starts_with(k)))
        .map(|l| format!("{l}\n"))
        .collect();
    // Before: the two errors quoted both values whole (4 MB on the terminal), and a long title
    // alone built, copied into every page (2 MB gave a 52 MB site).
    let mb = "Y".repeat(2_000_000);
    std::fs::write(
        root.join("content/site.yaml"),
        format!("{site}title: {mb}\ncurrency: {mb}\norganization: \"{}\"\n", "O".repeat(201)),
    )
    .unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.len() < 3000, "{} bytes of errors", e.len());
    assert!(e.contains("error: the site's title is 2000000 characters long; it is shown on every page, so at most 200\n --> content/site.yaml:6:8"), "{e}");
    assert!(e.contains("error: the site's organization is 201 characters long"), "{e}");
    assert!(e.contains(&format!("found `{}…` (2000000 characters)\n", "Y".repeat(40))), "{e}");
    // The JSON keeps every message whole, for tools.
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json"]);
    let diags: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(diags.as_array().unwrap().iter().any(|d| d["message"].as_str().unwrap().contains(&mb)));
}

#[test]
fn a_file_in_another_encoding_is_an_error_at_its_first_bad_byte() {
    let (_tmp, root) = project("small");
    let meetings = root.join("content/meetings");
    // Saved as Windows-1252 (é is the byte 0xE9): before, "invalid byte at offset 14" at 1:1.
    std::fs::write(
        meetings.join("2026-10-06-latin.md"),
        b"---\ntitle: Caf\xe9 review\ndate: 2026-10-06\nattendees: [Ann]\n---\n",
    )
    .unwrap();
    let utf16: Vec<u8> = "\u{feff}---\ntitle: U\n---\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(meetings.join("2026-10-07-utf16.md"), utf16).unwrap();
    std::fs::write(
        meetings.join("2026-10-08-nul.md"),
        "---\ntitle: N\ndate: 2026-10-08\nattendees: [Ann]\n---\nab\0c\n",
    )
    .unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("error: this file is not UTF-8 text: the byte 0xE9 here is not UTF-8\n --> content/meetings/2026-10-06-latin.md:2:11\n  |\n2 | title: Caf\u{fffd} review\n  |           ^\n"), "{e}");
    assert!(e.contains("Latin-1 or Windows-1252"), "{e}");
    assert!(e.contains("error: this file is UTF-16 text (it starts with a UTF-16 byte order mark)\n --> content/meetings/2026-10-07-utf16.md"), "{e}");
    assert!(e.contains("error: this file contains a NUL byte: it looks binary, not text\n --> content/meetings/2026-10-08-nul.md:6:3"), "{e}");
}

#[test]
fn a_folder_named_like_a_content_file_and_a_file_named_like_a_folder_are_warned() {
    let (_tmp, root) = project("small");
    let content = root.join("content");
    // Before, each was skipped without a word: the site's settings, or every goal, gone.
    std::fs::remove_file(content.join("site.yaml")).unwrap();
    std::fs::create_dir(content.join("site.yaml")).unwrap();
    std::fs::remove_dir_all(content.join("goals")).unwrap();
    std::fs::write(content.join("goals"), "- id: x\n").unwrap();
    std::fs::create_dir(content.join("meetings/2026-10-09-Retro.MD")).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    let e = stderr(&o);
    for (file, what) in [
        ("content/site.yaml", "a folder, not a file"),
        ("content/goals", "a file, not a folder"),
        ("content/meetings/2026-10-09-Retro.MD", "a folder, not a file"),
    ] {
        assert!(e.contains(&format!("warning: this is {what}, and is ignored\n --> {file}:1:1")), "{file}: {e}");
    }
    assert_eq!(run(&["check", "--strict", "--root", root.to_str().unwrap()]).status.code(), Some(1));
}

#[test]
fn page_names_that_differ_only_in_case_are_warned() {
    let (tmp, root) = project("small");
    let meetings = root.join("content/meetings");
    for (dir, name) in [("a", "2026-10-06-Retro"), ("b", "2026-10-06-retro")] {
        std::fs::create_dir_all(meetings.join(dir)).unwrap();
        std::fs::write(
            meetings.join(dir).join(format!("{name}.md")),
            format!("---\ntitle: {name}\ndate: 2026-10-06\nattendees: [Ann]\n---\n"),
        )
        .unwrap();
    }
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("warning: the page names `2026-10-06-retro` and `2026-10-06-Retro` (content/meetings/a/2026-10-06-Retro.md) differ only in case"), "{e}");
    assert!(e.contains("--> content/meetings/b/2026-10-06-retro.md"), "{e}");
    // Where names are case-sensitive both pages are written.
    assert!(
        out.join("meetings/2026-10-06-Retro/index.html").is_file()
            && out.join("meetings/2026-10-06-retro/index.html").is_file()
    );
}

#[cfg(unix)]
#[test]
fn symlinks_leaving_the_project_are_not_followed() {
    let (tmp, root) = project("small");
    let outside = tmp.path().join("secret.yaml");
    std::fs::write(&outside, "- id: secret\n  title: SECRET OUTSIDE\n  owners: [sales]\n  baseline: 0\n  target: 1\n  start: 2026-10\n  due: 2026-11\n").unwrap();
    std::os::unix::fs::symlink(&outside, root.join("content/goals/linked.yaml")).unwrap();
    std::os::unix::fs::symlink(tmp.path(), root.join("content/meetings/outside-dir")).unwrap();
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("content/goals/linked.yaml") && e.contains("not followed"), "{e}");
    for (_, bytes) in snapshot(&out) {
        assert!(!String::from_utf8_lossy(&bytes).contains("SECRET OUTSIDE"));
    }
}

/// Writes a project big enough that a build takes a while.
fn big_project(root: &Path, title: &str, meetings: usize) {
    copy_dir(&fixture("small"), root);
    let site = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    std::fs::write(
        root.join("content/site.yaml"),
        site.replace("title: Small & <Co> report", &format!("title: {title}")),
    )
    .unwrap();
    for i in 0..meetings {
        let body = "Some notes with a [link](https://example.test) and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
            .repeat(5);
        std::fs::write(
            root.join(format!("content/meetings/2026-10-{:02}-m{i}.md", i % 28 + 1)),
            format!("---\ntitle: Meeting {i}\ndate: 2026-10-{:02}\nattendees: [Ann, Bob]\n---\n{body}", i % 28 + 1),
        )
        .unwrap();
    }
}

#[test]
fn a_killed_build_leaves_the_whole_old_site_or_the_whole_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (old_root, new_root) = (tmp.path().join("old"), tmp.path().join("new"));
    big_project(&old_root, "Old title", 1500);
    big_project(&new_root, "New title", 1500);
    let build = |root: &Path, out: &Path| {
        let o = command()
            .args(["build", "-q", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let (ref_old, ref_new) = (tmp.path().join("ref-old"), tmp.path().join("ref-new"));
    build(&old_root, &ref_old);
    let started = std::time::Instant::now();
    build(&new_root, &ref_new);
    // How long a whole build takes here: the kills are spread over it and past its end, so
    // that some land before the swap and some after, however fast the machine is.
    let whole = started.elapsed();
    let (old_site, new_site) = (snapshot(&ref_old), snapshot(&ref_new));
    let out = tmp.path().join("public");
    let mut seen_old = 0;
    let mut seen_new = 0;
    // The fixed shares spread kills over one build; on a machine that got busier since
    // `whole` was measured, later kills wait longer (4x .. 64x) until one lands after the
    // swap, so the test checks both outcomes without depending on the machine's load.
    let fixed = [0.0, 0.05, 0.2, 0.5, 0.8, 0.9, 0.97, 1.05, 2.0];
    let mut extra = 4.0;
    let mut i = 0;
    loop {
        let share = if i < fixed.len() {
            fixed[i]
        } else if seen_new == 0 && extra <= 64.0 {
            extra *= 2.0;
            extra / 2.0
        } else {
            break;
        };
        i += 1;
        let delay = whole.mul_f64(share);
        build(&old_root, &out);
        let mut child = command()
            .args(["build", "-q", "--root", new_root.to_str().unwrap(), "--output", out.to_str().unwrap()])
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = snapshot(&out);
        if now == old_site {
            seen_old += 1;
        } else if now == new_site {
            seen_new += 1;
        } else {
            panic!("after a kill at {delay:?} the output is neither the old nor the new site");
        }
    }
    assert!(seen_old > 0, "some kills landed before the swap");
    assert!(seen_new > 0, "some kills landed after the swap (a whole build takes {whole:?})");
    // The next build cleans up whatever a killed build left beside the output.
    build(&new_root, &out);
    let leftovers = leftovers(tmp.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn control_characters_from_content_reach_the_terminal_escaped() {
    let (_tmp, root) = project("small");
    std::fs::write(
        root.join("content/meetings/2026-10-09-evil.md"),
        "---\ntitle: \"T \\e]0;PWNED\\a\"\ndate: 2026-10-09\nattendees: [Ann, \"\\e]0;PWNED\\a\\e[2J\\e]52;c;ZXZpbA==\\a\"]\n---\nx\n",
    )
    .unwrap();
    // A second file with an error quoting a raw escape on its line.
    std::fs::write(
        root.join("content/meetings/2026-10-10-raw.md"),
        "---\ntitle: X\ndate: 2026-10-10\nattendees: [Ann]\nbogus\x1b[2J: 1\n---\nx\n",
    )
    .unwrap();
    for args in [vec!["check"], vec!["build", "--output", "site"]] {
        let mut full = args.clone();
        full.extend(["--root", root.to_str().unwrap()]);
        let o = run(&full);
        let err = stderr(&o);
        assert!(!err.contains('\x1b') && !err.contains('\x07'), "{args:?} printed a raw escape: {err:?}");
        assert!(err.contains("\\u{1b}[2J"), "{args:?}: {err}");
    }
}

#[test]
fn a_closed_pipe_is_no_panic() {
    let (_tmp, root) = project("small");
    // Thousands of diagnostics: far more than a pipe holds.
    let mut goals = String::new();
    for i in 0..3000 {
        goals.push_str(&format!("- id: g{i}\n  title: G\n  owners: [marketing]\n  traget{i}: 1\n"));
    }
    std::fs::write(root.join("content/goals/many.yaml"), goals).unwrap();
    for (args, closed) in [
        (vec!["check"], "stderr"),
        (vec!["check", "--format", "json"], "stdout"),
        (vec!["build", "--output", "site"], "stderr"),
    ] {
        let mut cmd = command();
        cmd.args(&args).args(["--root", root.to_str().unwrap()]);
        if closed == "stderr" {
            cmd.stderr(Stdio::piped()).stdout(Stdio::null());
        } else {
            cmd.stdout(Stdio::piped()).stderr(Stdio::null());
        }
        let mut child = cmd.spawn().unwrap();
        // The reader goes away before anything is written (like `| head -1` after one line).
        drop(child.stderr.take());
        drop(child.stdout.take());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(1), "{args:?} with a closed {closed}");
    }
}

#[test]
fn many_mistakes_in_one_file_take_linear_time_and_a_screenful() {
    let (_tmp, root) = project("small");
    let mut goal = String::from("- id: g\n  title: G\n  owners: [marketing]\n");
    for i in 0..95_000 {
        goal.push_str(&format!("  unknown{i}: 1\n"));
    }
    std::fs::write(root.join("content/goals/many.yaml"), goal).unwrap();
    // Quoting each line by reading the file up to it took minutes here.
    let o = run_within(&["check", "--root", root.to_str().unwrap()], Duration::from_secs(90));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.matches("error: unknown field").count(), 20, "the first 20 of the kind in full");
    assert!(
        err.contains("note: 94980 more errors of this kind were not shown, like: unknown field `unknown20`"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
    assert!(err.contains("95000 errors") || err.contains("95001 errors") || err.contains("errors in"), "{err}");
    assert!(err.len() < 20_000, "{} bytes of diagnostics", err.len());
    // Tools still get every diagnostic.
    let o = run_within(&["check", "--format", "json", "--root", root.to_str().unwrap()], Duration::from_secs(90));
    let all: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(all.as_array().unwrap().len() >= 95_000);
}

/// Issue 16 item 3 through the binary: a meeting note of an address and 100,000 `)` took
/// 10 s to render in a release build (over 120 s in a debug build); now the whole build takes
/// well under a second, and the link is the address alone.
#[test]
fn a_note_of_an_address_and_100000_parens_builds_at_once() {
    let (tmp, root) = project("small");
    std::fs::write(
        root.join("content/meetings/2026-10-06-parens.md"),
        format!("---\ntitle: P\ndate: 2026-10-06\nattendees: [Ann]\n---\nhttps://a.example/{}\n", ")".repeat(100_000)),
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o = run_within(
        &["build", "-q", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()],
        Duration::from_secs(60),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(out.join("meetings/2026-10-06-parens/index.html")).unwrap();
    assert!(page.contains("<a href=\"https://a.example/\">https://a.example/</a>"), "the link is the address alone");
}
